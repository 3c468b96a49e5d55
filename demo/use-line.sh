#!/usr/bin/env bash
# Print the one line that makes a plain shell use what `make demo` installed: the tools of the
# virtualenv (ansible-doc, ansible, ansible-playbook) and the collection it installed.
#   use-line.sh <virtualenv bin directory> <collections directory>
set -euo pipefail
bin_dir="$(cd "$1" && pwd)"
collections_dir="$(cd "$2" && pwd)"
# The line keeps $PATH for the user's shell to expand.
# shellcheck disable=SC2016
printf 'export PATH="%s:$PATH" ANSIBLE_COLLECTIONS_PATH="%s"\n' "$bin_dir" "$collections_dir"
