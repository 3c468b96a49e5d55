# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: options, client set-up, failures.

The option spec here and the ``atlasops.backup.atlas`` doc fragment describe the
same options; keep them in step.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    API_VERSIONS,
    DEFAULT_BASE_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AtlasClient,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import wrong_family_hint
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasConfigError, AtlasOpsError

# The environment variables each credential option falls back to, in the order they are read.
CREDENTIAL_VARIABLES = {
    'public_key': ('MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PUBLIC_API_KEY'),
    'private_key': ('MONGODB_ATLAS_PRIVATE_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY'),
    'client_id': ('MONGODB_ATLAS_CLIENT_ID',),
    'client_secret': ('MONGODB_ATLAS_CLIENT_SECRET',),
}
CREDENTIAL_PAIRS = (('public_key', 'private_key'), ('client_id', 'client_secret'))

ATLAS_COMMON_ARGUMENT_SPEC = dict(
    api_base_url=dict(type='str', default=DEFAULT_BASE_URL, fallback=(env_fallback, ['MONGODB_ATLAS_BASE_URL'])),
    api_version=dict(type='str', default='v2', choices=sorted(API_VERSIONS, reverse=True)),
    public_key=dict(type='str', fallback=(env_fallback, list(CREDENTIAL_VARIABLES['public_key']))),
    private_key=dict(type='str', no_log=True, fallback=(env_fallback, list(CREDENTIAL_VARIABLES['private_key']))),
    client_id=dict(type='str', fallback=(env_fallback, list(CREDENTIAL_VARIABLES['client_id']))),
    client_secret=dict(type='str', no_log=True, fallback=(env_fallback, list(CREDENTIAL_VARIABLES['client_secret']))),
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


def credential_source(params, option, environ=None):
    """Where a credential option's value came from: the environment variable that holds it, or the task."""
    environ = os.environ if environ is None else environ
    for variable in CREDENTIAL_VARIABLES[option]:
        if environ.get(variable):
            # env_fallback takes the first variable set, and only when the task gave nothing.
            return variable if environ[variable] == params[option] else 'the task'
    return 'the task'


def _described(params, pair, environ):
    sources = [credential_source(params, option, environ) for option in pair if params[option]]
    return '%s (from %s)' % (' and '.join(pair), ' and '.join(sorted(set(sources))))


def choose_credentials(params, environ=None):
    """The one credential pair to use, and a warning or None; AtlasConfigError saying what was found where.

    A pair the task gives wins over a pair found only in the environment, as task options
    beat environment variables everywhere else.
    """
    environ = os.environ if environ is None else environ
    given = [pair for pair in CREDENTIAL_PAIRS if any(params[option] for option in pair)]
    if not given:
        raise AtlasConfigError('public_key', 'no Atlas credentials: set public_key and private_key (an API key) or '
                                             'client_id and client_secret (a service account) in the task or '
                                             'module_defaults, or in the environment %s; none of them is set'
                               % ', '.join(variable for option in ('public_key', 'private_key', 'client_id',
                                                                   'client_secret')
                                           for variable in CREDENTIAL_VARIABLES[option]))
    warning = None
    if len(given) == 2:
        from_task = [pair for pair in given
                     if 'the task' in [credential_source(params, option, environ) for option in pair if params[option]]]
        if len(from_task) != 1:
            found = tuple(_described(params, pair, environ) for pair in given)
            raise AtlasConfigError('public_key', 'two credential pairs were found, %s and %s: give one, and unset or '
                                                 'leave out the other' % found)
        ignored = [pair for pair in given if pair != from_task[0]][0]
        used, unused = _described(params, from_task[0], environ), _described(params, ignored, environ)
        warning = 'Using %s; ignoring %s' % (used, unused)
        given = from_task
    pair = given[0]
    for option in pair:
        if not params[option]:
            other = [name for name in pair if name != option][0]
            raise AtlasConfigError(option, '%s is set (from %s) but %s is not: set %s in the task, or %s in the '
                                           'environment' % (other, credential_source(params, other, environ), option,
                                                            option, ' or '.join(CREDENTIAL_VARIABLES[option])))
    return {option: params[option] for option in pair}, warning


def create_client(module):
    """The Atlas client for this run, from the connection options."""
    params = module.params
    if params['request_timeout'] <= 0:
        module.fail_json(msg='request_timeout must be more than 0 seconds; got %s' % params['request_timeout'])
    try:
        credentials, warning = choose_credentials(params)
        if warning:
            module.warn(warning)
        return AtlasClient(
            base_url=params['api_base_url'],
            api_version=params['api_version'],
            public_key=credentials.get('public_key'),
            private_key=credentials.get('private_key'),
            client_id=credentials.get('client_id'),
            client_secret=credentials.get('client_secret'),
            validate_certs=params['validate_certs'],
            ca_path=params['ca_path'],
            timeout=params['request_timeout'],
            # Ansible masks these in every result and log; the client learns its token (and the
            # restore flow the keys of download links) only as the task runs.
            on_secret=module.no_log_values.add,
        )
    except AtlasConfigError as exc:
        fail_from_exception(module, exc)


def fail_from_exception(module, exc, family=None, **result):
    """End a task that raised one of the collection's errors (an AtlasOpsError): its message, the fields it adds to
    ``result`` (the module's empty result), and no traceback.  ``family`` masks the link keys of the jobs it shows.
    Any other exception is not ours to explain: it goes on up."""
    if not isinstance(exc, AtlasOpsError):
        raise exc
    if family is not None:
        hide_link_keys(module, family, exc.jobs_shown())
    module.fail_json(msg=exc.failure_message(wrong_family_hint), **exc.task_result(result))


def exit_with_outcome(module, outcome):
    """End a restore task: its warnings, its result, and its diff when asked for."""
    for warning in outcome.warnings:
        module.warn(warning)
    result = outcome.result()
    if module._diff:
        result['diff'] = outcome.diff
    module.exit_json(**result)


def hide_link_keys(module, family, jobs):
    """Keep the keys of download links out of every output and log (Ansible masks no_log values)."""
    for job in jobs:
        for secret in family.secrets_of(job):
            module.no_log_values.add(secret)
