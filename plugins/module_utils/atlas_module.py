# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: options, client set-up, failures.

The option spec here and the ``atlasops.backup.atlas`` doc fragment describe the
same options; keep them in step.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    API_VERSIONS,
    DEFAULT_BASE_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AtlasApiError,
    AtlasClient,
    AtlasConfigError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import wrong_family_hint
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import ArchiveRejected
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobNotFound,
    RestoreJobValidationError,
)

ATLAS_COMMON_ARGUMENT_SPEC = dict(
    api_base_url=dict(type='str', default=DEFAULT_BASE_URL, fallback=(env_fallback, ['MONGODB_ATLAS_BASE_URL'])),
    api_version=dict(type='str', default='v2', choices=sorted(API_VERSIONS, reverse=True)),
    public_key=dict(type='str', fallback=(env_fallback, ['MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PUBLIC_API_KEY'])),
    private_key=dict(type='str', no_log=True,
                     fallback=(env_fallback, ['MONGODB_ATLAS_PRIVATE_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY'])),
    client_id=dict(type='str', fallback=(env_fallback, ['MONGODB_ATLAS_CLIENT_ID'])),
    client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['MONGODB_ATLAS_CLIENT_SECRET'])),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    request_timeout=dict(type='float', default=30.0),
    group_id=dict(type='str', required=True, aliases=['project_id']),
    cluster_name=dict(type='str', required=True),
)


def create_module(argument_spec, **kwargs):
    """An AnsibleModule with the common options merged in; fails early without requests."""
    spec = dict(ATLAS_COMMON_ARGUMENT_SPEC)
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    return module


def create_client(module):
    """The Atlas client for this run, from the connection options."""
    params = module.params
    if params['request_timeout'] <= 0:
        module.fail_json(msg='request_timeout must be more than 0 seconds; got %s' % params['request_timeout'])
    try:
        return AtlasClient(
            base_url=params['api_base_url'],
            api_version=params['api_version'],
            public_key=params['public_key'],
            private_key=params['private_key'],
            client_id=params['client_id'],
            client_secret=params['client_secret'],
            validate_certs=params['validate_certs'],
            ca_path=params['ca_path'],
            timeout=params['request_timeout'],
        )
    except AtlasConfigError as exc:
        module.fail_json(msg=str(exc))


def fail_from_exception(module, exc, **result):
    """Turn a domain or transport exception into a clean task failure (no traceback)."""
    if isinstance(exc, (TransferError, ArchiveRejected)):
        module.fail_json(msg=str(exc), **result)
    if isinstance(exc, RestoreJobValidationError):
        module.fail_json(msg=str(exc), invalid_options=list(exc.options), **result)
    if isinstance(exc, RestoreJobNotFound):
        api_error = exc.api_error.to_dict() if exc.api_error is not None else None
        module.fail_json(msg=str(exc), api_error=api_error, **result)
    if isinstance(exc, AtlasApiError):
        hint = wrong_family_hint(exc.error_code)
        message = '%s. %s' % (str(exc).rstrip('.'), hint) if hint else str(exc)
        module.fail_json(msg=message, api_error=exc.to_dict(), **result)
    raise exc


def hide_link_keys(module, family, jobs):
    """Keep the keys of download links out of every output and log (Ansible masks no_log values)."""
    for job in jobs:
        for secret in family.link_secrets(job):
            module.no_log_values.add(secret)
