# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts a backup API family is built of, each an interface written once, and the helpers they share.

A family (``BackupFamily``) is a name and its parts: ``RestoreJobs`` (paths, body, status,
kind, target, match, cancel rule), ``Snapshots`` (lists, status, time, type, restore window,
target cluster paths), ``DownloadLinks`` only where its jobs have links, and declared
``Capabilities``.  Each family lives in a file of its own (``cloud_family``,
``legacy_family``, ``flex_family``, ``collection_family``); ``backup_families`` lists them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import unquote, urlsplit

from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
)


# The media type of the current cluster resource (the only one the transformed spec lists).
CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'


def undeclared(part, method):
    """The error of a part that leaves out a method its interface declares."""
    return NotImplementedError('%s does not declare %s(): every %s part must (see family_parts)'
                               % (type(part).__name__, method, type(part).__mro__[-2].__name__))


class RestoreJobs:
    """The interface of a family's restore jobs: where they live, what a request becomes, how to read one.

    Methods that raise ``undeclared`` must be written by every jobs part; the others are
    shared behaviour a part may keep.  ``name`` is the family's backup_type (for messages).
    """

    name = None
    # None: the client's media type for the chosen api_version.
    media_type = None

    def jobs_path(self, group_id, cluster_name, job_id=None):
        """Path segments of the cluster's restore jobs (or of one)."""
        raise undeclared(self, 'jobs_path')

    def create_path(self, spec):
        """Where a create is POSTed: by default the jobs list."""
        return self.jobs_path(spec.group_id, spec.cluster_name)

    def body(self, spec, api_version):
        """The request body a checked spec becomes."""
        raise undeclared(self, 'body')

    def created_jobs(self, answer):
        """The jobs a create answered with: one, or legacy's page of one per shard."""
        return [answer] if answer else []

    def status(self, job):
        """One of restore_model.STATUSES."""
        raise undeclared(self, 'status')

    def delivery_type(self, job):
        """``automated`` (into a target cluster) or ``download``."""
        raise undeclared(self, 'delivery_type')

    def target(self, job):
        """(project id, cluster name, cluster id) a job restores into, as Atlas shows them."""
        raise undeclared(self, 'target')

    def match(self, job, spec):
        """EXACT or APPROXIMATE when ``job`` restores what ``spec`` asks for, else None."""
        raise undeclared(self, 'match')

    def cancel_refusal(self, job):
        """Why Atlas would refuse to cancel ``job`` (its own words where it has them), or None."""
        raise undeclared(self, 'cancel_refusal')

    def same_target(self, job, spec):
        """True or False when the job shows its target cluster; None when Atlas did not return it."""
        group_id, cluster_name, cluster_id = self.target(job)
        if not (group_id or cluster_name or cluster_id):
            return None
        if group_id != spec.target_group_id:
            return False
        if spec.target_cluster_name:
            return cluster_name == spec.target_cluster_name
        return cluster_id == spec.target_cluster_id

    def writes_target(self, job, spec):
        """Whether an automated ``job`` wrote into the target of ``spec``: a whole-cluster restore writes all of it.

        True or False when the job shows its target, None when Atlas did not return it.
        """
        return self.same_target(job, spec)

    def writer_lists(self, spec):
        """Lists besides the source cluster's whose jobs may have written the target of ``spec``.

        Each is ``(backup_type, group_id, cluster_name)``; read only to judge a re-run that matched.
        """
        return []

    def target_own_list(self, spec, backup_type=None):
        """The target cluster's own list of ``backup_type`` jobs (default: this family's), when it is
        another cluster: a restore of the target into itself is listed there, not under the source."""
        target, source = (spec.target_group_id, spec.target_cluster_name), (spec.group_id, spec.cluster_name)
        if not spec.target_cluster_name or target == source:
            return []
        return [(backup_type or self.name, spec.target_group_id, spec.target_cluster_name)]

    def approximate_reason(self, job, spec):
        """Why ``job`` can be taken for the one ``spec`` asks for only approximately."""
        if self.same_target(job, spec) is None:
            return ('Atlas did not return the target cluster of this %s restore job, so it may have restored into '
                    'another cluster' % self.name)
        return 'Atlas did not return the restore point of this point-in-time restore job'

    def _snapshot_match(self, job, spec):
        """The match of a snapshot restore, by kind, snapshot and (for automated restores) target."""
        if self.delivery_type(job) != spec.delivery or job.get('snapshotId') != spec.snapshot_id:
            return None
        if spec.delivery == 'download':
            return EXACT
        target = self.same_target(job, spec)
        if target is None:
            return APPROXIMATE
        return EXACT if target else None


class Snapshots:
    """The interface of a family's snapshots, and of the cluster settings a restore reads (window, target)."""

    name = None
    # The media type of the snapshot resources (None: the client's default).
    media_type = None
    # The snapshot types the family tells apart (snapshot_type option values).
    types = ()
    # Query parameters every snapshot list needs.
    query = {}

    def list_paths(self, group_id, cluster_name):
        """The lists that may hold the cluster's snapshots, in the order to read them (the first non-empty wins)."""
        raise undeclared(self, 'list_paths')

    def paths(self, group_id, cluster_name, snapshot_id):
        """Where one snapshot may be, in the order to look."""
        raise undeclared(self, 'paths')

    def status(self, snapshot):
        """``queued``, ``in_progress``, ``completed`` or ``failed``."""
        raise undeclared(self, 'status')

    def created(self, snapshot):
        """Epoch seconds of the moment the snapshot holds, or None when Atlas does not show it yet."""
        raise undeclared(self, 'created')

    def type(self, snapshot):
        """One of ``types``, or None."""
        return None

    def restore_window(self, read, group_id, cluster_name):
        """How far back a point-in-time restore of the cluster may go: a RestoreWindow.

        ``read(path, media_type)`` returns the document at ``path``; the family knows where
        its settings are, the caller how to fetch them.
        """
        return RestoreWindow(False, None, 'the %s backup API has no point-in-time restores' % self.name)

    def target_cluster_paths(self, group_id, cluster_name):
        """Where a target cluster may be, each (path, media type), in the order to look."""
        return [(['groups', group_id, 'clusters', cluster_name], CLUSTER_MEDIA_TYPE)]

    # Why Atlas takes no on-demand snapshot of the family's clusters; a family that takes them says None
    # and declares take_path, snapshot_path and retention_path (snapshot_taking reads them).
    no_on_demand = 'the API has no request that takes a snapshot'

    def take_path(self, group_id, cluster_name):
        """Where an on-demand snapshot is taken (POST)."""
        raise undeclared(self, 'take_path')

    def snapshot_path(self, group_id, cluster_name, snapshot):
        """Where one snapshot, as Atlas showed it, is read and deleted."""
        raise undeclared(self, 'snapshot_path')

    def retention_path(self, group_id, cluster_name, snapshot):
        """Where the expiry of ``snapshot`` is changed (PATCH), or None when Atlas has no such request for it."""
        raise undeclared(self, 'retention_path')


class DownloadLinks:
    """The interface of a family whose jobs offer download links (a family without links has no such part)."""

    # Legacy jobs show the SHA1 of their files only once they were downloaded (seeds 000, 004).
    hashes_after_download = False

    def download_links(self, job):
        """Every link the job offers, each ``{url, headers}``."""
        raise undeclared(self, 'download_links')

    def download_files(self, job):
        """Every link with the name its file takes on disk: ``{name, url, headers}``."""
        return named_files(job, self.download_links(job))

    def link_limits(self, job):
        """(requests a link allows, or None; epoch seconds when it expires, or None)."""
        return None, None

    def link_secrets(self, job):
        """Keys in a job that open its download links: never to be shown."""
        return []


class Capabilities:
    """What a family can do, declared rather than deduced from its options.

    ``cannot_cancel``: why Atlas cancels none of its jobs (None: some can be; the jobs part
    says which).  ``refused_options``: the options it cannot take, and ``refused_because``
    why, said once for all of them.  ``download_settings``: the link settings a download
    restore takes (RestoreSpec attributes) with their defaults.  ``restores``: ``cluster``
    (atlas_restore_job) or ``collections`` (atlas_collection_restore_job).
    """

    def __init__(self, api_versions=('v2', 'v1.0'), cannot_cancel=None, accepts_target_id=False, has_batches=False,
                 refused_options=(), refused_because='', download_settings=None, restores='cluster'):
        self.api_versions = tuple(api_versions)
        self.cannot_cancel = cannot_cancel
        self.accepts_target_id = accepts_target_id
        self.has_batches = has_batches
        self.refused_options = tuple(refused_options)
        self.refused_because = refused_because
        self.download_settings = dict(download_settings or {})
        self.restores = restores

    @property
    def can_cancel(self):
        return self.cannot_cancel is None


class BackupFamily:
    """One backup API: a name (its backup_type) and its parts.  ``links`` is None when its jobs have no links."""

    def __init__(self, name, jobs, snapshots, capabilities, links=None):
        self.name = name
        self.jobs = jobs
        self.snapshots = snapshots
        self.capabilities = capabilities
        self.links = links

    def links_of(self, job):
        """Every download link of ``job`` (none for a family without links)."""
        return self.links.download_links(job) if self.links is not None else []

    def secrets_of(self, job):
        """The keys in ``job`` that open its links (none for a family without links)."""
        return self.links.link_secrets(job) if self.links is not None else []

    def __repr__(self):
        return 'BackupFamily(%r)' % self.name


class RestoreWindow:
    """Whether a cluster takes point-in-time restores, and how far back (seconds; None: not said)."""

    def __init__(self, enabled, seconds, described):
        self.enabled = enabled
        self.seconds = seconds
        self.described = described


# Snapshot status words of each API -> ours.
SNAPSHOT_STATUSES = ('queued', 'in_progress', 'completed', 'failed')


def weakest(*qualities):
    """The least certain of several match qualities (None beats all)."""
    if None in qualities:
        return None
    return APPROXIMATE if APPROXIMATE in qualities else EXACT


def unique_links(links):
    unique = []
    for link in links:
        if link['url'] not in [seen['url'] for seen in unique]:
            unique.append(link)
    return unique


def url_file_name(url):
    name = unquote(urlsplit(url).path.rstrip('/').rsplit('/', 1)[-1])
    return name if name.endswith(('.tar.gz', '.tgz')) and '/' not in name and not name.startswith('.') else None


def named_files(job, links, prefixes=None):
    """Links with a file name each: the URL's own (as Atlas names legacy files in ``hashes``), with
    ``prefixes[url]`` (a shard's name) in front when it is not in it yet, or the job id; never twice."""
    named, taken = [], set()
    for number, link in enumerate(links, 1):
        name = url_file_name(link['url']) or '%s-%d.tar.gz' % (job['id'], number)
        prefix = (prefixes or {}).get(link['url'])
        if prefix and prefix not in name:
            name = '%s-%s' % (prefix, name)
        if name in taken:
            name = '%d-%s' % (number, name)
        taken.add(name)
        named.append(dict(link, name=name))
    return named
