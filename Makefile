# atlasops.backup: `make test` and `make demo` do all their set-up on a fresh machine
# (Python 3 with pip and venv, git, and the package registry).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV)/bin)
PYVER = $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
BUILD := .build
COLLECTION := $(BUILD)/ansible_collections/atlasops/backup
# ansible-test --requirements bootstraps pip in its venvs with get-pip.py from a host these
# machines cannot reach; it looks for a cached copy here first (ansible-test pins pip 24.2).
GET_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py
export PATH := $(BIN):$(PATH)

.PHONY: test sanity units integration conformance engines ee-context bench bench-quick mutation docs docs-site \
  docs-site-test matrix release-check demo venv stage build clean

# Each step of `make test` keeps its output in $(LOGS); tests/utils/test_summary.py reads them
# (and the reports the steps write) for the one summary `make test` ends with.
LOGS = $(abspath $(COLLECTION)/tests/output/logs)
KEEP_LOG = 2>&1 | (mkdir -p $(LOGS) && tee $(LOGS)/$@.log)

test: sanity units integration conformance engines bench-quick
	$(BIN)/python tests/utils/test_summary.py $(COLLECTION)

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	@echo "Installing the pinned tools of requirements-dev.txt into $(VENV)/ (once; about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

$(GET_PIP_CACHE): tests/utils/get_pip_standin.py
	mkdir -p $(dir $@)
	cp $< $@

# ansible-test needs the collection under ansible_collections/<namespace>/<name>, as real files.
# It lists files with git when it is inside a work tree: the copy gets a repository of its own,
# or ansible-test would see this repository's ignore rules and find nothing.
stage: venv
	rm -rf $(BUILD)/ansible_collections
	mkdir -p $(COLLECTION)
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --ignore-failed-read -T - -cf - \
	  | tar -xf - -C $(COLLECTION)
	git -C $(COLLECTION) init -q

sanity: stage $(GET_PIP_CACHE)
	cd $(COLLECTION) && ansible-test sanity --local --python $(PYVER) --requirements $(KEEP_LOG)

units: stage $(GET_PIP_CACHE)
	cd $(COLLECTION) && ansible-test units --local --python $(PYVER) --requirements $(KEEP_LOG)

integration: stage
	PYTHON=$(BIN)/python tests/utils/run-integration.sh $(COLLECTION) $(PYVER) $(KEEP_LOG)

# The spec referee's findings from the unit and integration runs: mismatches and coverage.
conformance:
	$(BIN)/python tests/utils/conformance_report.py $(COLLECTION)/tests/output/conformance $(KEEP_LOG)

# The demo under ansible-runner (process mode, as AWX runs jobs) and ansible-navigator --ee false,
# with the connection only in the environment an AWX credential of docs/awx/credential-type.yml injects.
ENGINES_VENV := $(BUILD)/engines-venv
$(ENGINES_VENV)/.installed: requirements-engines.txt
	@echo "Installing ansible-runner and ansible-navigator (requirements-engines.txt) into $(ENGINES_VENV)/ (once)"
	$(PYTHON) -m venv $(ENGINES_VENV)
	$(ENGINES_VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-engines.txt
	touch $@

engines: stage $(ENGINES_VENV)/.installed
	PATH=$(abspath $(ENGINES_VENV)/bin):$$PATH $(ENGINES_VENV)/bin/python tests/utils/engine_parity.py $(COLLECTION) \
	  $(KEEP_LOG)

# Request counts, waiting latency, paging scale and overhead against the emulator; figures, not tests.
bench: stage
	$(BIN)/python $(COLLECTION)/tests/bench/bench.py $(abspath tests/bench/results.json)

# The bench's quickest figures, run by `make test` so that the bench cannot break unnoticed (a figure
# that misses its goal is printed, not failed: these machines are shared and noisy).
bench-quick: stage
	$(BIN)/python $(COLLECTION)/tests/bench/bench.py $(COLLECTION)/tests/output/bench-quick.json --quick $(KEEP_LOG)

# Mutation testing of plugins/module_utils/ against the unit tests: a figure, not part of `make test`
# (more than an hour on 2 cores). mutmut keeps its own venv and remembers work between runs.
MUTATION := $(BUILD)/mutation
mutation: stage
	test -x $(MUTATION)-venv/bin/mutmut || ($(PYTHON) -m venv $(MUTATION)-venv \
	  && $(MUTATION)-venv/bin/pip install -q -r requirements-dev.txt mutmut==3.8.1)
	PATH=$(abspath $(MUTATION)-venv/bin):$$PATH $(MUTATION)-venv/bin/python tests/utils/mutation.py \
	  $(COLLECTION) $(MUTATION) $(abspath $(MUTATION)-venv/bin/mutmut)

# Units and integration under every supported ansible-core, and module imports under every
# managed-node Python (from pyenv); see tests/utils/matrix.py.
matrix: stage
	$(BIN)/python tests/utils/matrix.py $(COLLECTION) $(BUILD)/matrix

# The module reference in docs/modules/, generated from the modules' own documentation.
docs: stage
	for module in atlas_restore_job atlas_restore_job_info atlas_snapshot atlas_snapshot_info atlas_collection_restore_job \
	    atlas_collection_restore_job_info; do \
	  ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)) antsibull-docs plugin --dest-dir docs/modules --fail-on-error \
	    --output-format simplified-rst --no-add-antsibull-docs-version --plugin-type module atlasops.backup.$$module; \
	done
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)) antsibull-docs lint-collection-docs --plugin-docs $(COLLECTION)
	antsibull-changelog lint

# The documentation site, built as Ansible's collection sites are (antsibull-docs and Sphinx, -W: no
# warning), in .build/docs-site/html/; its tools in a venv of their own (requirements-docs.txt).
DOCS_VENV := $(BUILD)/docs-venv
$(DOCS_VENV)/.installed: requirements-docs.txt
	@echo "Installing antsibull-docs, Sphinx and Playwright (requirements-docs.txt) into $(DOCS_VENV)/ (once)"
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-docs.txt
	touch $@

docs-site: stage $(DOCS_VENV)/.installed
	PATH=$(abspath $(DOCS_VENV)/bin):$$PATH $(DOCS_VENV)/bin/python tests/utils/docs_site.py $(BUILD) $(BUILD)/docs-site

# The site in a real headless browser: every page renders, every internal link resolves. It needs
# Chromium from the system's packages (bindep.txt; Playwright's own browser download is not
# reachable here), so it is not part of `make test`.
docs-site-test: docs-site
	$(DOCS_VENV)/bin/python tests/utils/docs_site_check.py $(BUILD)/docs-site/html $(BUILD)/docs-site/screenshot.png

# What Galaxy and the ecosystem's linters say of the built collection. Each tool has a venv of
# its own: galaxy-importer pins old dependencies. galaxy-importer exits 0 even when a check of
# its own fails, so its log is read too.
release-check: build docs
	test -x $(BUILD)/lint-venv/bin/ansible-lint || \
	  ($(PYTHON) -m venv $(BUILD)/lint-venv && $(BUILD)/lint-venv/bin/pip install -q ansible-lint==26.10.1)
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)) $(BUILD)/lint-venv/bin/ansible-lint
	test -x $(BUILD)/importer-venv/bin/python -a -f $(BUILD)/importer-venv/.installed || \
	  ($(PYTHON) -m venv $(BUILD)/importer-venv && $(BUILD)/importer-venv/bin/pip install -q galaxy-importer==0.4.44 \
	   && touch $(BUILD)/importer-venv/.installed)
	cd $(BUILD) && PATH=$(abspath $(BUILD)/importer-venv/bin):$$PATH importer-venv/bin/python -m galaxy_importer.main \
	  atlasops-backup-*.tar.gz 2>&1 | tee importer.log
	grep -q 'Importer processing completed successfully' $(BUILD)/importer.log
	! grep -E 'ERROR|WARNING' $(BUILD)/importer.log
	$(MAKE) ee-context

# What ansible-builder makes of the collection, without a container engine (none here): the
# requirements it reads from the installed collection's meta/execution-environment.yml, and the
# build context of docs/awx/execution-environment.yml. Building the image is left to a machine with one.
ee-context: build $(ENGINES_VENV)/.installed
	rm -rf $(BUILD)/ee-collections $(BUILD)/ee-context
	ansible-galaxy collection install --force -p $(BUILD)/ee-collections $(BUILD)/atlasops-backup-*.tar.gz
	$(ENGINES_VENV)/bin/ansible-builder introspect --sanitize $(BUILD)/ee-collections | tee $(BUILD)/ee-introspect.txt
	grep -q "requests.*# from collection atlasops.backup" $(BUILD)/ee-introspect.txt
	$(ENGINES_VENV)/bin/ansible-builder create -f docs/awx/execution-environment.yml -c $(BUILD)/ee-context
	test -f $(BUILD)/ee-context/Dockerfile
	grep -q "name: atlasops.backup" $(BUILD)/ee-context/_build/requirements.yml

build: venv
	mkdir -p $(BUILD)
	ansible-galaxy collection build --force --output-path $(BUILD) .

# Everything the demo writes stays in .build/: Ansible's own files (ANSIBLE_HOME, its temporary
# files) and the downloaded archive (TMPDIR; the demo removes it at its end).
DEMO_ANSIBLE := TMPDIR=$(abspath $(BUILD)/demo-tmp) ANSIBLE_HOME=$(abspath $(BUILD)/demo-ansible) ANSIBLE_LOCAL_TEMP=$(abspath $(BUILD)/demo-ansible/tmp) \
  ANSIBLE_REMOTE_TEMP=$(abspath $(BUILD)/demo-ansible/tmp)
demo: build
	@echo "== Installing the collection built in $(BUILD)/ into $(BUILD)/demo-collections/"
	rm -rf $(BUILD)/demo-collections $(BUILD)/demo-tmp
	mkdir -p $(BUILD)/demo-tmp
	@# With the collections path it installs into configured, ansible-galaxy does not warn that it is not.
	$(DEMO_ANSIBLE) ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)/demo-collections) \
	  ansible-galaxy collection install --force -p $(BUILD)/demo-collections $(BUILD)/atlasops-backup-*.tar.gz
	PYTHON=$(BIN)/python $(DEMO_ANSIBLE) ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)/demo-collections) demo/run-demo.sh

clean:
	rm -rf $(BUILD) $(VENV) tests/output
