# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cut restore-jobs.openapi.json out of the published Atlas spec: the operations the collection
uses, every component they reference, the ApiError schema and the security schemes.

    python cut.py ../../../../shared/atlas-openapi/atlas-api-transformed.yaml restore-jobs.openapi.json

Run it again when the collection uses another operation (add its path to PATHS).
"""

import json
import sys

import yaml

# Every method of these paths is kept.
PATHS = (
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/restoreJobs',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/restoreJobs/{jobId}',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs/{restoreJobId}',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/download',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs/{jobId}',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs/{jobId}/collections',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs/{jobId}/collections/{sourceNamespace}',
    # On-demand snapshots (atlas_snapshot, and the undo snapshot of a restore): list/take, get/update/delete.
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}',
)
# Of these paths, only the GET the collection sends (snapshots, what a point-in-time restore checks, and the
# target clusters check mode looks up).
GET_ONLY = (
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases/{databaseName}/collections',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/snapshots',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/snapshots/{snapshotId}',
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/snapshotSchedule',
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}',
)
ALWAYS = ('#/components/schemas/ApiError',)


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref' and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolve(spec, ref):
    node = spec
    for part in ref[2:].split('/'):
        node = node[part]
    return node


def cut(spec):
    out = {key: spec[key] for key in ('openapi', 'info', 'servers') if key in spec}
    out['paths'] = {path: spec['paths'][path] for path in PATHS}
    for path in GET_ONLY:
        out['paths'][path] = {key: value for key, value in spec['paths'][path].items() if key in ('get', 'parameters')}
    out['components'] = {'securitySchemes': spec['components']['securitySchemes']}
    pending = list(references(out['paths'])) + list(ALWAYS)
    seen = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        kind, name = ref.split('/')[2:4]
        node = resolve(spec, ref)
        out['components'].setdefault(kind, {})[name] = node
        pending.extend(references(node))
    if 'security' in spec:
        out['security'] = spec['security']
    return out


def main(source, target):
    with open(source) as handle:
        spec = yaml.safe_load(handle)
    with open(target, 'w') as handle:
        json.dump(cut(spec), handle, indent=1, sort_keys=True, default=str)
        handle.write('\n')


if __name__ == '__main__':
    main(*sys.argv[1:])
