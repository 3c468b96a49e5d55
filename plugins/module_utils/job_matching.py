# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is there already a job for this request, and does the target still hold what it restored?

Pure judgement over job documents (with their normalized ``status``): no requests are
sent here.  The restore flow lists the jobs and hands them over.

A re-run is judged by what the target holds now.  The newest job that restores what the
task asks for counts only while no newer restore wrote the same target from another
source; when one did (even one that failed: it may have wiped the target first), the
match is *superseded* and the task restores again.  Jobs are ordered by the list Atlas
gives (newest first) and, across lists, by the creation second that every Atlas id
(a MongoDB ObjectId) begins with.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    ACTIVE_STATUSES,
    APPROXIMATE,
    EXACT,
    HEX_ID,
    MATCHABLE_STATUSES,
)

SUPERSEDED = 'superseded'


class MatchResult:
    """What a cluster's jobs say of one request."""

    def __init__(self):
        self.job = None
        self.quality = None
        # Where the match stands in the source cluster's list: the jobs before it are newer.
        self.position = None
        # A running job that restores something else into the same target.
        self.conflict = None
        # The newest download job of the same snapshot whose link expired or was used up:
        # its files may already be home.
        self.spent_download = None
        # The match that no longer counts, and the newer job that wrote its target after it.
        self.superseded = None
        self.superseded_by = None
        # Newer jobs that may have written the target, for warnings: Atlas does not show where they wrote.
        self.unsure_writers = []


def id_second(job):
    """The creation second an Atlas id begins with (the first 4 bytes of an ObjectId), or None."""
    job_id = job.get('id')
    if not isinstance(job_id, str) or not HEX_ID.match(job_id):
        return None
    return int(job_id[:8], 16)


def link_spent(family, job, now):
    """True when a finished download job's links have expired by ``now`` (Flex jobs stay COMPLETED past it)."""
    if job['status'] != 'finished' or family.jobs.delivery_type(job) != 'download' or now is None:
        return False
    if family.links is None:
        return False  # a family without links has no link to spend
    _max_requests, expires_at = family.links.link_limits(job)
    return expires_at is not None and now >= expires_at


def might_write_target(family, job, spec):
    """True when a running job may be restoring into the target cluster of ``spec``: its target is that one, or unknown."""
    return (job['status'] in ACTIVE_STATUSES and family.jobs.delivery_type(job) == 'automated'
            and family.jobs.same_target(job, spec) is not False)


def find_match(family, spec, jobs, now=None):
    """The newest job of ``jobs`` (newest first) that restores what ``spec`` asks for and has not failed,
    been cancelled or expired, with the running job it would fight and the spent download it may reuse."""
    result = MatchResult()
    for position, job in enumerate(jobs):
        spent = link_spent(family, job, now)
        if job['status'] not in MATCHABLE_STATUSES or spent:
            if ((job['status'] == 'expired' or spent) and spec.delivery == 'download'
                    and result.spent_download is None and family.jobs.match(job, spec)):
                result.spent_download = job
            continue
        quality = family.jobs.match(job, spec)
        if quality == EXACT:
            result.job, result.quality, result.position = job, EXACT, position
            result.conflict = None
            return result
        if quality == APPROXIMATE and result.job is None:
            result.job, result.quality, result.position = job, APPROXIMATE, position
        elif (quality is None and spec.delivery == 'automated' and result.conflict is None
              and might_write_target(family, job, spec)):
            result.conflict = job
    return result


def _writer_verdict(job_family, job, spec, spec_family):
    """True when ``job`` wrote the target of ``spec`` from another source, None when it may have, else False."""
    if job_family.jobs.delivery_type(job) != 'automated':
        return False
    if job_family is spec_family and spec_family.jobs.match(job, spec) is not None:
        return False  # the same request again: it restores what the task asks for
    return job_family.jobs.writes_target(job, spec)


def newer_writers(result, family, spec, jobs, other_writers=()):
    """The jobs newer than the match that wrote (or may have written) its target, newest first.

    ``jobs`` is the source cluster's list the match came from: the jobs before it are newer.
    ``other_writers`` are ``(family, job)`` pairs from other lists (another kind of restore,
    the target cluster's own restores): newer when their id was made in a later second.
    Each comes with True (wrote the target) or None (Atlas does not show where it wrote).
    """
    found = [(family, job) for job in jobs[:result.position]]
    match_second = id_second(result.job)
    for other_family, job in other_writers:
        second = id_second(job)
        if match_second is not None and second is not None and second > match_second:
            found.append((other_family, job))
    verdicts = []
    for job_family, job in found:
        verdict = _writer_verdict(job_family, job, spec, family)
        if verdict is not False:
            verdicts.append((job, verdict))
    verdicts.sort(key=lambda pair: id_second(pair[0]) or 0, reverse=True)
    return verdicts


def judge_superseded(result, family, spec, jobs, other_writers=()):
    """Mark ``result``'s match as superseded when a newer restore wrote its target from another source.

    A superseding job that is still running becomes the conflict (a second restore would fight
    it); one that ended leaves no match, so the task restores again.
    """
    if result.job is None or spec.delivery != 'automated':
        return result
    writers = newer_writers(result, family, spec, jobs, other_writers)
    sure = [job for job, verdict in writers if verdict]
    result.unsure_writers = [job for job, verdict in writers if verdict is None]
    if not sure:
        return result
    result.superseded, result.superseded_by = result.job, sure[0]
    result.job = result.quality = result.position = None
    if sure[0]['status'] in ACTIVE_STATUSES:
        result.conflict = sure[0]
    return result


def describe_source(job):
    """A job's source in a few words: its snapshot, or its restore point when it has one."""
    for field, words in (('pointInTimeUTCSeconds', 'point in time %s'), ('pointInTimeUtcSeconds', 'point in time %s'),
                         ('oplogTs', 'oplog entry %s'), ('snapshotId', 'snapshot %s')):
        if job.get(field) is not None:
            return words % job[field]
    return 'a source Atlas does not show'


def superseded_warning(result, spec, check_mode=False):
    """Why a job that restored this source no longer counts, in words."""
    old, new = result.superseded, result.superseded_by
    # Only said of a superseding job that ended: one still running is a conflict, and the task stops there.
    return ('Restore job %s (%s) restored what this task asks for into %s, but restore job %s (%s, from %s) wrote '
            'into it after that, so the target no longer holds it: this task %s.'
            % (old['id'], old['status'], spec.written_description, new['id'], new['status'], describe_source(new),
               'would restore it again (check mode)' if check_mode else 'restores it again'))


def unsure_writers_warning(result, spec):
    """A warning naming the newer jobs that may have restored into the target, or None."""
    if not result.unsure_writers or result.job is None:
        return None
    return ('Restore job %s was taken as the one this task asks for, but Atlas does not show where newer restore '
            'job(s) %s wrote; if one wrote into %s, the target no longer holds this restore: look them up with '
            'atlas_restore_job_info (job_id).'
            % (result.job['id'], ', '.join(job['id'] for job in result.unsure_writers), spec.written_description))
