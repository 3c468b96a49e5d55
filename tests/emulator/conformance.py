# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official Atlas OpenAPI spec as referee of every request and response the emulator sees.

The emulator hands each exchange under ``/api/atlas/v2`` to a ``SpecReferee``, which
validates the request (path, query, media type, body) against the operation it
targets and the response (status, media type, body) against that operation's
response, with openapi-core.  It also counts what the exchanges covered: the
operations, the request and response fields of the spec, and the enum values of
the fields the status normalization reads.  ``report()`` gives both, as JSON that
``tests/utils/conformance_report.py`` merges and prints.

``spec/restore-jobs.openapi.json`` is the restore-job subset of the official spec
(see ``spec/README.md``); ``spec/enums.json`` holds the enum lists, which the
transformed spec lacks.
"""

from __future__ import annotations

import copy
import json
import os
import re
import threading
import warnings
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import PathNotFound
from openapi_core.testing import MockRequest, MockResponse

SPEC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'spec')
SPEC_FILE = os.path.join(SPEC_DIR, 'restore-jobs.openapi.json')
ENUMS_FILE = os.path.join(SPEC_DIR, 'enums.json')
SPEC_HOST = 'https://cloud.mongodb.com'
# Atlas's versioned media types are JSON; Flex clusters' resources have their own version, and
# so do a cluster and its backup schedule, and collection restore jobs.
ATLAS_MEDIA_TYPES = ('application/vnd.atlas.2023-01-01+json', 'application/vnd.atlas.2024-11-13+json',
                     'application/vnd.atlas.2024-08-05+json', 'application/vnd.atlas.2025-03-12+json')
V2_PREFIX = '/api/atlas/v2/'
# A test that means to send something off the spec (a wrong Accept, say) says so with this header.
OFF_SPEC_HEADER = 'X-Emulator-Off-Spec'
# The closed copy of a schema that a request body uses (see _close_request_schemas).
REQUEST_SCHEMA_SUFFIX = '.request'

# Where the published spec contradicts Atlas itself; each is applied before validation and
# listed in every report, so that nobody mistakes it for a fix of our own code.
ERRATA = [
    {
        'where': 'components.schemas.DiskBackup{ReplicaSet,ShardedClusterSnapshot}.properties.frequencyType.enum',
        'spec_says': 'hourly, daily, weekly, monthly, yearly',
        'atlas_does': "ondemand for an on-demand snapshot (recorded by the Atlas CLI's e2e tests, TestSnapshots/List): "
                      'merged into the enum lists in spec/enums.json',
    },
    {
        'where': 'components.schemas.ApiBSONTimestamp.properties.increment.minimum',
        'spec_says': 1199145600,
        'atlas_does': 'oplog increments are small ordinals: the seeds show "increment": 1',
    },
    {
        'where': 'components.schemas.DiskBackupSnapshotRestoreJob.properties.deliveryUrl',
        'spec_says': 'an array of strings',
        'atlas_does': 'one string in the documented examples (seed 002, mongodb/docs download-restore.json); '
                      'a list in recorded answers: both are accepted',
    },
    {
        'where': 'components.schemas.DiskBackupRestoreMember.properties.downloadUrl',
        'spec_says': 'a string',
        'atlas_does': 'null once the link was used or expired, or before it exists (seed 002, mongodb/docs)',
    },
    {
        'where': 'components.schemas.FlexBackupRestoreJob*.properties.targetDeploymentItemName.pattern',
        'spec_says': "^[\\p{L}\\p{N}\\-_.(),:&@+']{1,64}$ (Unicode classes Python's re lacks)",
        'atlas_does': 'the same set, written with \\w for Python (letters, digits, underscore)',
    },
    {
        'where': 'paths.*.*.responses.400',
        'spec_says': 'listBackupRestoreJobs, getBackupRestoreJob and cancelBackupRestoreJob declare no 400 answer',
        'atlas_does': 'answers 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API for a Flex cluster in the cluster API '
                      '(recorded by the Atlas CLI end-to-end tests): every operation may answer 400',
    },
    {
        'where': 'components.schemas.ApiAtlasCollectionRestoreJobResponse.properties.state.type',
        'spec_says': 'integer',
        'atlas_does': "a string: INITIALIZING ... FAILED in every example of the same spec and in the Terraform "
                      "provider's copy of the Atlas spec (mongodb/terraform-provider-mongodbatlas, "
                      'tools/codegen/atlasapispec/raw-multi-version-api-spec.yml at 468253d), whose enum is merged in',
    },
    {
        'where': 'components.schemas.ApiAtlasCollectionRestoreJobResponse.properties',
        'spec_says': 'no targetClusterName, targetGroupId, totalDocuments or writeStrategy; required: [results]',
        'atlas_does': "all four in every example and in the Terraform provider's copy (whose acceptance test reads "
                      'targetClusterName from real answers): they are added, and a job has no results',
    },
    {
        'where': 'paths.*.delete.responses.204.content',
        'spec_says': 'a 204 answer has content of application/vnd.atlas.2023-01-01+json (with no schema)',
        'atlas_does': 'HTTP 204 carries no body (RFC 9110 section 15.3.5); only the status is checked',
    },
]


def _undo_double_escapes(node):
    """Some patterns in the published file are escaped twice (\\\\d for \\d); see the spec README.

    Some use the Unicode classes \\p{L} and \\p{N}, which Python's re lacks: \\w (letters, digits
    and the underscore) stands for them (an erratum, listed below).
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'pattern' and isinstance(value, str):
                node[key] = value.replace('\\\\', '\\').replace('\\p{L}\\p{N}', '\\w')
            else:
                _undo_double_escapes(value)
    elif isinstance(node, list):
        for item in node:
            _undo_double_escapes(item)


def load_spec():
    """The spec as the referee applies it: escapes undone, official enum lists merged in, errata applied."""
    with open(SPEC_FILE) as handle:
        spec = json.load(handle)
    _undo_double_escapes(spec)
    schemas = spec['components']['schemas']
    collection_job = schemas['ApiAtlasCollectionRestoreJobResponse']
    collection_job['properties']['state']['type'] = 'string'
    collection_job.pop('required', None)
    collection_job['properties'].update(
        targetClusterName={'type': 'string'},
        targetGroupId={'type': 'string', 'pattern': '^([a-f0-9]{24})$'},
        totalDocuments={'type': 'integer', 'format': 'int64', 'minimum': 0, 'readOnly': True},
        writeStrategy={'type': 'string'})
    for enum in load_enums().values():
        schema_name, prop = enum['schema'].split('.')
        schemas[schema_name]['properties'][prop]['enum'] = list(enum['values'])
    del schemas['ApiBSONTimestamp']['properties']['increment']['minimum']
    url_list = schemas['DiskBackupSnapshotRestoreJob']['properties']['deliveryUrl']
    schemas['DiskBackupSnapshotRestoreJob']['properties']['deliveryUrl'] = {
        'oneOf': [url_list, {'type': 'string', 'readOnly': True}], 'readOnly': True}
    schemas['DiskBackupRestoreMember']['properties']['downloadUrl']['nullable'] = True
    for item in spec['paths'].values():
        for operation in item.values():
            if isinstance(operation, dict) and 'responses' in operation:
                operation['responses'].setdefault('400', {'$ref': '#/components/responses/badRequest'})
    _close_request_schemas(spec)
    return spec


def _close_request_schemas(spec):
    """Request bodies may hold only the fields the spec defines; answers stay open.

    The published schemas allow any other field (no ``additionalProperties``), so a misspelt or
    invented field in a request would pass, and Atlas would ignore or refuse it. Each request
    body gets a closed copy of its schema tree (``<name>.request``): the same schemas serve
    answers too, and Atlas answers with more fields than the spec lists.
    """
    schemas = spec['components']['schemas']
    for item in spec['paths'].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for content in ((operation.get('requestBody') or {}).get('content') or {}).values():
                if 'schema' in content:
                    content['schema'] = _closed(schemas, content['schema'])


def _closed(schemas, schema):
    """``schema`` with every object in it closed; a $ref points at a closed copy of its target."""
    if '$ref' in schema:
        name = schema['$ref'].rsplit('/', 1)[1]
        closed_name = name + REQUEST_SCHEMA_SUFFIX
        if closed_name not in schemas:
            schemas[closed_name] = {}  # claimed first: a schema that refers to itself ends here
            schemas[closed_name].update(_closed(schemas, schemas[name]))
        return {'$ref': '#/components/schemas/' + closed_name}
    closed = dict(schema)
    if 'properties' in closed:
        closed['properties'] = {key: _closed(schemas, sub) for key, sub in closed['properties'].items()}
        closed.setdefault('additionalProperties', False)
    if isinstance(closed.get('items'), dict):
        closed['items'] = _closed(schemas, closed['items'])
    for combiner in ('oneOf', 'anyOf'):
        if combiner in closed:
            # Each alternative is to match alone: it can be closed alone.
            closed[combiner] = [_closed(schemas, alternative) for alternative in closed[combiner]]
    if 'allOf' in closed:
        raise ValueError('a request schema with allOf: closing its parts would refuse the fields of the others')
    return closed


def load_enums():
    with open(ENUMS_FILE) as handle:
        return json.load(handle)['enums']


def _field_paths(value, prefix=''):
    """Dotted paths of every field in a JSON document (list items as ``[]``)."""
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = '%s.%s' % (prefix, key) if prefix else key
            paths.add(path)
            paths |= _field_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= _field_paths(item, prefix + '[]')
    return paths


def _lookup(document, dotted):
    """Every value at a dotted path (``results[].statusName``); ``a|b`` looks at both."""
    if '|' in dotted:
        return [value for alternative in dotted.split('|') for value in _lookup(document, alternative)]
    values = [document]
    for part in dotted.split('.'):
        many = part.endswith('[]')
        name = part[:-2] if many else part
        found = []
        for value in values:
            if isinstance(value, dict) and name in value:
                found.extend(value[name] if many and isinstance(value[name], list) else [value[name]])
        values = found
    return values


def _schema_field_paths(spec, schema, skip, prefix='', seen=()):
    """Dotted paths of every property a schema defines, following $refs.

    ``skip`` is ``readOnly`` for what a request can hold, ``writeOnly`` for a response.
    """
    if schema.get(skip):
        return set()
    if '$ref' in schema:
        name = schema['$ref'].rsplit('/', 1)[1]
        if name in seen:
            return set()
        return _schema_field_paths(spec, spec['components']['schemas'][name], skip, prefix, seen + (name,))
    paths = set()
    if schema.get('type') == 'array' and 'items' in schema:
        return _schema_field_paths(spec, schema['items'], skip, prefix + '[]', seen)
    for key, sub in (schema.get('properties') or {}).items():
        resolved = sub
        while '$ref' in resolved:
            resolved = spec['components']['schemas'][resolved['$ref'].rsplit('/', 1)[1]]
        if sub.get(skip) or resolved.get(skip):
            continue
        path = '%s.%s' % (prefix, key) if prefix else key
        paths.add(path)
        paths |= _schema_field_paths(spec, sub, skip, path, seen)
    return paths


def _describe(error):
    """'<json path>: <message>' for each schema error under an openapi-core error."""
    found = []
    cause = error
    while cause is not None:
        for schema_error in getattr(cause, 'schema_errors', None) or []:
            path = '$' + ''.join('[%d]' % p if isinstance(p, int) else '.%s' % p for p in schema_error.absolute_path)
            found.append('%s: %s' % (path, schema_error.message))
        cause = cause.__cause__
    return found or [str(error)]


class SpecReferee:
    """Validates exchanges against the spec and keeps count of what they covered."""

    def __init__(self):
        self.spec = load_spec()
        # openapi-core reads only the media types it knows; Atlas's versioned one is JSON.
        config = Config(extra_media_type_deserializers={media_type: json.loads for media_type in ATLAS_MEDIA_TYPES})
        with warnings.catch_warnings():
            # openapi-core checks no OAuth 2.0 scheme ("Unsupported scheme type"): the emulator checks tokens itself.
            warnings.simplefilter('ignore', UserWarning)
            self.openapi = OpenAPI.from_dict(copy.deepcopy(self.spec), config=config)
        self.enums = load_enums()
        self.lock = threading.RLock()
        self.mismatches = []
        self.exchanges = 0
        self.skipped = {}
        self.operations = {}
        self.request_fields = {}
        self.response_fields = {}
        self.enum_values = {}
        self._operations_by_route = self._index_operations()

    def _index_operations(self):
        routes = []
        for path, item in self.spec['paths'].items():
            regex = '^' + re.sub(r'\{[^}]+\}', '[^/]+', path) + '$'
            for method, operation in item.items():
                if isinstance(operation, dict) and 'operationId' in operation:
                    routes.append((re.compile(regex), method.upper(), operation['operationId'], path))
        return routes

    def operation_for(self, method, path):
        for regex, route_method, operation_id, template in self._operations_by_route:
            if route_method == method and regex.match(path):
                return operation_id, template
        return None, None

    def _skip(self, reason):
        with self.lock:
            self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def check(self, method, raw_path, query, headers, body, status, response_headers, response_body, fault=None):
        """Validate one exchange; returns the mismatches found (also kept in ``mismatches``)."""
        if not raw_path.startswith(V2_PREFIX):
            self._skip('not under /api/atlas/v2 (the spec covers v2 only)')
            return []
        if headers.get(OFF_SPEC_HEADER):
            self._skip('marked off-spec by the test')
            return []
        operation_id, template = self.operation_for(method, raw_path)
        if operation_id is None:
            self._skip('no restore-job operation at this path')
            return []
        args = {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
        request = MockRequest(SPEC_HOST, method, raw_path, args=args, headers=dict(headers),
                              data=body or None, content_type=(headers.get('Content-Type') or '').split(';')[0])
        problems = []
        challenge = status == 401 and 'Authorization' not in headers
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', UserWarning)
            request_errors = list(self.openapi.iter_request_errors(request))
        for error in request_errors:
            if challenge and type(error).__name__ == 'SecurityNotFound':
                continue  # the first leg of the digest handshake carries no credentials, by design
            problems += ['request: %s' % text for text in _describe(error)]
        if fault is None and status == 204:
            if '204' not in self.spec['paths'][template][method.lower()]['responses']:
                problems.append('response 204: the operation declares no 204 answer')
        elif fault is None:
            response = MockResponse(response_body or b'', status_code=status, headers=dict(response_headers),
                                    content_type=(response_headers.get('Content-Type') or '').split(';')[0])
            try:
                errors = list(self.openapi.iter_response_errors(request, response))
            except PathNotFound as exc:
                errors = [exc]
            problems += ['response %s: %s' % (status, text) for error in errors for text in _describe(error)]
        else:
            self._skip('response of an injected fault (not meant to conform)')
        self._count(operation_id, template, method, body, status, response_body, fault)
        found = ['%s %s (%s): %s' % (method, raw_path, operation_id, problem) for problem in problems]
        with self.lock:
            self.exchanges += 1
            self.mismatches.extend(found)
        return found

    def _count(self, operation_id, template, method, body, status, response_body, fault):
        def bump(table, key):
            table[key] = table.get(key, 0) + 1

        with self.lock:
            bump(self.operations, operation_id)
            if body:
                try:
                    for path in _field_paths(json.loads(body)):
                        bump(self.request_fields, '%s %s' % (operation_id, path))
                except ValueError:
                    pass
            if fault is None and response_body and 200 <= status < 300:
                try:
                    document = json.loads(response_body)
                except ValueError:
                    return
                for path in _field_paths(document):
                    bump(self.response_fields, '%s %s' % (operation_id, path))
                for enum_name, spec in self.enums.items():
                    if operation_id not in spec.get('operations', ()):
                        continue
                    for value in _lookup(document, spec['response_path']):
                        bump(self.enum_values, '%s=%s' % (enum_name, value))

    def universe(self):
        """What there is to cover, from the spec itself."""
        operations, request_fields, response_fields = [], [], []
        for item in self.spec['paths'].values():
            for operation in item.values():
                if not isinstance(operation, dict) or 'operationId' not in operation:
                    continue
                operation_id = operation['operationId']
                operations.append(operation_id)
                request_schema = (operation.get('requestBody') or {}).get('content', {})
                for content in request_schema.values():
                    for path in _schema_field_paths(self.spec, content['schema'], 'readOnly'):
                        request_fields.append('%s %s' % (operation_id, path))
                ok = operation['responses'].get('200') or {}
                for content in (ok.get('content') or {}).values():
                    if 'schema' in content:
                        for path in _schema_field_paths(self.spec, content['schema'], 'writeOnly'):
                            response_fields.append('%s %s' % (operation_id, path))
        # Coverage is counted for the enums the status normalization reads (those with a response_path).
        enum_values = ['%s=%s' % (name, value) for name, spec in self.enums.items() if 'response_path' in spec
                       for value in spec['values']]
        return {'operations': sorted(set(operations)), 'request_fields': sorted(set(request_fields)),
                'response_fields': sorted(set(response_fields)), 'enum_values': sorted(enum_values)}

    def report(self):
        """What was checked and covered so far; the report script adds the universe and errata."""
        with self.lock:
            return {'exchanges': self.exchanges, 'mismatches': list(self.mismatches), 'skipped': dict(self.skipped),
                    'covered': {'operations': dict(self.operations), 'request_fields': dict(self.request_fields),
                                'response_fields': dict(self.response_fields),
                                'enum_values': dict(self.enum_values)}}

    def drain(self):
        """The report so far, and start counting afresh (for one report per test)."""
        with self.lock:
            report = self.report()
            self.mismatches = []
            self.exchanges = 0
            self.skipped = {}
            self.operations, self.request_fields, self.response_fields, self.enum_values = {}, {}, {}, {}
            return report
