# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flex clusters: ``/groups/{g}/flexClusters/{name}/backup/restoreJobs``, media type 2024-11-13."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import (
    BackupFamily,
    Capabilities,
    DownloadLinks,
    RestoreJobs,
    Snapshots,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    parse_atlas_time,
)

FLEX_SNAPSHOT_STATUSES = {'PENDING': 'queued', 'QUEUED': 'queued', 'RUNNING': 'in_progress',
                          'COMPLETED': 'completed', 'FAILED': 'failed'}
# Flex restore job status (the official spec's enum) -> ours.
FLEX_STATUSES = {'PENDING': 'pending', 'QUEUED': 'pending', 'RUNNING': 'in_progress', 'COMPLETED': 'finished',
                 'FAILED': 'failed'}


FLEX_MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json'
CANNOT_CANCEL = 'the Flex backup API cannot cancel restore jobs'


class FlexJobs(RestoreJobs):
    """Flex clusters: ``/groups/{g}/flexClusters/{name}/backup/restoreJobs``, media type 2024-11-13.

    A restore copies a snapshot into a cluster (``targetDeploymentItemName`` in
    ``targetProjectId``); a download is ``POST .../backup/download``, which answers with a
    restore job of ``deliveryType: DOWNLOAD`` whose ``snapshotUrl`` works for four hours.
    """

    name = 'flex'
    media_type = FLEX_MEDIA_TYPE

    def jobs_path(self, group_id, cluster_name, job_id=None):
        return ['groups', group_id, 'flexClusters', cluster_name, 'backup', 'restoreJobs'] + ([job_id] if job_id else [])

    def create_path(self, spec):
        if spec.delivery == 'download':
            return ['groups', spec.group_id, 'flexClusters', spec.cluster_name, 'backup', 'download']
        return self.jobs_path(spec.group_id, spec.cluster_name)

    def body(self, spec, api_version):
        if spec.delivery == 'download':
            return {'snapshotId': spec.snapshot_id}
        return {'snapshotId': spec.snapshot_id, 'targetDeploymentItemName': spec.target_cluster_name,
                'targetProjectId': spec.target_group_id}

    def status(self, job):
        # A status the spec does not name yet is taken as still running: the wait goes on.
        return FLEX_STATUSES.get(job.get('status'), 'in_progress')

    def delivery_type(self, job):
        return 'download' if job.get('deliveryType') == 'DOWNLOAD' else 'automated'

    def target(self, job):
        return job.get('targetProjectId'), job.get('targetDeploymentItemName'), None

    def match(self, job, spec):
        return self._snapshot_match(job, spec)

    def cancel_refusal(self, job):
        return CANNOT_CANCEL


class FlexSnapshots(Snapshots):
    """The snapshots of a Flex cluster, in the Flex media type."""

    name = 'flex'
    media_type = FLEX_MEDIA_TYPE
    # The spec has only GET under flexClusters/{name}/backup/snapshots.
    no_on_demand = ('Atlas takes the snapshots of a Flex cluster daily on its own: the Flex API has no request that '
                    'takes, updates or deletes one')

    def list_paths(self, group_id, cluster_name):
        # Listed oldest first (recorded by the Atlas CLI's e2e tests): never trusted for order.
        return [['groups', group_id, 'flexClusters', cluster_name, 'backup', 'snapshots']]

    def paths(self, group_id, cluster_name, snapshot_id):
        return [['groups', group_id, 'flexClusters', cluster_name, 'backup', 'snapshots', snapshot_id]]

    def status(self, snapshot):
        return FLEX_SNAPSHOT_STATUSES.get(snapshot.get('status'), 'in_progress')

    def created(self, snapshot):
        # Flex snapshots show when they were scheduled, started and finished, not the moment of
        # their data: the latest of those it can be (finishTime) keeps snapshot_before from
        # choosing data written after the time asked for.
        for field in ('finishTime', 'startTime', 'scheduledTime'):
            seconds = parse_atlas_time(snapshot.get(field))
            if seconds is not None:
                return seconds
        return None

    def target_cluster_paths(self, group_id, cluster_name):
        # A Flex restore may go into a Flex or a dedicated cluster.
        return [(['groups', group_id, 'flexClusters', cluster_name], self.media_type)] + \
            super(FlexSnapshots, self).target_cluster_paths(group_id, cluster_name)


class FlexLinks(DownloadLinks):
    """The one ``snapshotUrl`` of a Flex download job."""

    def download_links(self, job):
        return [{'url': job['snapshotUrl'], 'headers': {}}] if job.get('snapshotUrl') else []

    def link_limits(self, job):
        return None, parse_atlas_time(job.get('expirationDate'))


FLEX = BackupFamily('flex', FlexJobs(), FlexSnapshots(), Capabilities(
    api_versions=('v2',), cannot_cancel=CANNOT_CANCEL,
    refused_options=('checkpoint_id', 'target_cluster_id', 'expiration_hours', 'max_downloads',
                     'point_in_time', 'oplog_ts', 'oplog_inc'),
    refused_because='Flex backups restore snapshots only, into a cluster named by target_cluster_name'),
    links=FlexLinks())
