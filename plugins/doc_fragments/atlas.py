# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The connection options every module of the collection takes. They match
    # ATLAS_COMMON_ARGUMENT_SPEC in plugins/module_utils/atlas_module.py.
    DOCUMENTATION = r'''
options:
  api_base_url:
    description:
      - Scheme, host and optional port of the Atlas Administration API, such as V(http://127.0.0.1:8099).
        A path (V(http://127.0.0.1:8099/api/atlas/v2)) is refused, since the module adds C(/api/atlas/...) itself.
      - Change it for Atlas for Government, a proxy that terminates TLS, or the emulator bundled in C(tests/emulator/).
      - If not set, the value of the E(MONGODB_ATLAS_BASE_URL) environment variable is used,
        then V(https://cloud.mongodb.com).
    type: str
    default: https://cloud.mongodb.com
  api_version:
    description:
      - Which version of the Administration API to speak.
      - V(v2) uses C(/api/atlas/v2) with the media type C(application/vnd.atlas.2023-01-01+json).
      - V(v1.0) uses the deprecated C(/api/atlas/v1.0) with C(application/json), for older Atlas-compatible endpoints.
    type: str
    default: v2
    choices: [v2, v1.0]
  public_key:
    description:
      - Public key of an Atlas programmatic API key, the user name of HTTP Digest authentication.
      - If not set, the value of the E(MONGODB_ATLAS_PUBLIC_KEY) environment variable is used,
        then E(MONGODB_ATLAS_PUBLIC_API_KEY) (the names the Terraform provider and the Atlas CLI read).
      - Give either O(public_key) and O(private_key), or O(client_id) and O(client_secret).
    type: str
  private_key:
    description:
      - Private key of the Atlas programmatic API key, the password of HTTP Digest authentication.
      - If not set, the value of the E(MONGODB_ATLAS_PRIVATE_KEY) environment variable is used,
        then E(MONGODB_ATLAS_PRIVATE_API_KEY).
    type: str
  client_id:
    description:
      - Client ID of an Atlas Service Account. The module obtains an OAuth 2.0 access token
        (client credentials grant) from C(/api/oauth/token) once per task and reuses it.
      - If not set, the value of the E(MONGODB_ATLAS_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Client secret of the Atlas Service Account.
      - If not set, the value of the E(MONGODB_ATLAS_CLIENT_SECRET) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_base_url).
      - Set to V(false) only for a test server you control.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify O(api_base_url) with, for private CAs and TLS-inspecting proxies.
    type: path
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer before the request counts as failed.
    type: float
    default: 30
  group_id:
    description:
      - ID of the Atlas project (group) that holds the cluster, 24 hexadecimal digits.
    type: str
    required: true
    aliases: [project_id]
  cluster_name:
    description:
      - Name of the Atlas cluster whose backups are restored or listed.
      - ASCII letters, digits and hyphens, not starting with a hyphen, as Atlas requires.
    type: str
    required: true
notes:
  - Proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - GET and DELETE requests are retried with capped, jittered exponential backoff on HTTP 429 (honouring
    C(Retry-After)), 500, 502, 503, 504 and connection errors. A POST is retried only on HTTP 429, which Atlas
    answers before doing anything.
  - Secrets (O(private_key), O(client_secret), access tokens) never appear in results, messages or logs,
    even where a server echoes them in an error answer.
  - A redirect of an API call is followed only to the same scheme, host and port as O(api_base_url); a redirect
    to plain HTTP or to another host fails the task, naming where it pointed, and no credentials go there.
  - An API answer larger than 32 MiB (an error answer larger than 64 KiB) is not read, and fails the task.
requirements:
  - requests >= 2.20
'''
