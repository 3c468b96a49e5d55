# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's own errors: one base, and what each adds to a failed task's result.

Every error a task can end with derives from ``AtlasOpsError``; a module catches that base
once and hands it to ``atlas_module.fail_task``, which asks the error for its message
(``failure_message``) and its result (``task_result``).  Errors are built complete: a
changed copy comes from a ``with_*`` method, never from setting attributes after the raise.
This file imports nothing of the collection, so that transport and domain may both use it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class AtlasOpsError(Exception):
    """The base of every error the collection raises on purpose."""

    def failure_message(self, explain=None):
        """The ``msg`` of the failed task.  ``explain(error_code, detail)`` may add a hint to an API error."""
        return str(self)

    def task_result(self, base):
        """The result fields of the failed task, beside ``msg``: ``base`` (the module's empty result) plus this error's."""
        return dict(base)

    def jobs_shown(self):
        """The restore jobs this error puts in the result (their link keys must be masked)."""
        return []


class AtlasApiError(AtlasOpsError):
    """Any failure talking to Atlas: an error answer, a broken body or a network fault.

    ``status`` is the HTTP status (None when no answer came back), ``error_code``,
    ``detail`` and ``reason`` are Atlas's ``ApiError`` fields when the body had them.
    ``ambiguous`` is True when a request may have reached Atlas without the client
    seeing the answer (dropped connection, timeout, 5xx on a POST): the caller must
    look before it acts again.  ``may_be_running`` is True when Atlas may still be
    working on it (the answer timed out, or a gateway said 504): what it does may
    only show later.
    """

    FIELDS = ('message', 'status', 'error_code', 'detail', 'reason', 'method', 'url', 'ambiguous', 'may_be_running')

    def __init__(self, message, status=None, error_code=None, detail=None, reason=None,
                 method=None, url=None, ambiguous=False, may_be_running=False):
        super(AtlasApiError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.reason = reason
        self.method = method
        self.url = url
        self.ambiguous = ambiguous
        self.may_be_running = may_be_running

    def evolve(self, **changes):
        """A copy with ``changes`` (any of FIELDS); every other field kept."""
        fields = dict((name, getattr(self, name)) for name in self.FIELDS)
        fields.update(changes)
        return AtlasApiError(**fields)

    def with_message(self, message):
        """The same failure told in other words: every Atlas field kept, and settled (neither ambiguous nor running)."""
        return self.evolve(message=message, ambiguous=False, may_be_running=False)

    def masked(self, mask):
        """A copy with every field a message or a result shows passed through ``mask`` (AtlasClient.mask)."""
        return self.evolve(message=mask(self.message), error_code=mask(self.error_code), detail=mask(self.detail),
                           reason=mask(self.reason), url=mask(self.url))

    def to_dict(self):
        """The fields a module returns beside its failure message."""
        return dict(status=self.status, error_code=self.error_code, detail=self.detail,
                    reason=self.reason, method=self.method, url=self.url)

    def failure_message(self, explain=None):
        hint = explain(self.error_code, self.detail) if explain else None
        return '%s. %s' % (str(self).rstrip('.'), hint) if hint else str(self)

    def task_result(self, base):
        return dict(base, api_error=self.to_dict())

    def __str__(self):
        return self.message


class AtlasConfigError(AtlasOpsError, ValueError):
    """A connection setting that cannot work; ``option`` names it."""

    def __init__(self, option, message):
        super(AtlasConfigError, self).__init__(message)
        self.option = option


class RestoreJobValidationError(AtlasOpsError, ValueError):
    """Arguments that cannot make a valid request; ``options`` names the culprits."""

    def __init__(self, message, options):
        super(RestoreJobValidationError, self).__init__(message)
        self.options = tuple(options)

    def task_result(self, base):
        return dict(base, invalid_options=list(self.options))


class PreflightFailed(RestoreJobValidationError):
    """The pre-flight checks found what would make the restore fail: every problem, each naming its check."""

    def __init__(self, problems, conflict=None):
        options = []
        for problem in problems:
            options.extend(option for option in problem.options if option not in options)
        # One problem is said as it is, as the task said it before the checks were collected.
        message = problems[0].message if len(problems) == 1 else \
            'The restore was not started; the pre-flight checks found %d problems: %s' % (
                len(problems), '; '.join('[%s] %s' % (problem.check, problem.message) for problem in problems))
        super(PreflightFailed, self).__init__(message, options)
        self.problems = list(problems)
        # The restore running into the target, when that is one of the problems: shown as RestoreConflict shows it.
        self.conflict = conflict

    def task_result(self, base):
        result = dict(base, invalid_options=list(self.options), preflight=[each.to_dict() for each in self.problems])
        if self.conflict is not None:
            result.update(conflicting_job=self.conflict)
        return result

    def jobs_shown(self):
        return [self.conflict] if self.conflict is not None else []


class RestoreJobNotFound(AtlasOpsError):
    """A job id that Atlas does not know for this cluster and project."""

    def __init__(self, message, api_error=None):
        super(RestoreJobNotFound, self).__init__(message)
        self.api_error = api_error

    def task_result(self, base):
        return dict(base, api_error=self.api_error.to_dict() if self.api_error is not None else None)


class SnapshotNotFound(RestoreJobNotFound):
    """No snapshot is the one a task asks for: an unknown id, or none completed in time."""


class RestoreJobFailed(AtlasOpsError):
    """A job that ended failed, cancelled or expired, or that did not end in time.

    ``outcome`` is what the task had done by then (a RestoreOutcome), when the flow knows it.
    """

    def __init__(self, message, job, history=None, outcome=None):
        super(RestoreJobFailed, self).__init__(message)
        self.job = job
        self.history = history or []
        self.outcome = outcome

    def with_outcome(self, outcome):
        return RestoreJobFailed(str(self), self.job, self.history, outcome)

    def task_result(self, base):
        if not self.outcome:
            return dict(base, restore_job=self.job, status=self.job.get('status', ''))
        result = self.outcome.result()
        if not self.outcome.jobs:
            result.update(restore_job=self.job, status=self.job.get('status', ''))
        return result

    def jobs_shown(self):
        return (self.outcome.jobs if self.outcome else []) + [self.job]


class RestoreConflict(AtlasOpsError):
    """A request that would fight a job already running; the task did nothing, and shows the job it met
    (``job`` None: Atlas said a restore runs, but no list the task can read shows it)."""

    def __init__(self, message, job):
        super(RestoreConflict, self).__init__(message)
        self.job = job

    def task_result(self, base):
        # Not restore_job: that is the task's own job, and a rescue cancelling it would cancel this one.
        return dict(base, conflicting_job=self.job) if self.job is not None else dict(base)

    def jobs_shown(self):
        return [self.job] if self.job is not None else []


class SnapshotTaskFailed(AtlasOpsError):
    """A snapshot task that could not be done: the snapshot ended failed or did not end in time, or another
    on-demand snapshot of the cluster is unfinished.  ``fields`` are what it adds to the result (the
    snapshot as last seen, its status history, the snapshot in the way)."""

    def __init__(self, message, fields=None):
        super(SnapshotTaskFailed, self).__init__(message)
        self.fields = dict(fields or {})

    def task_result(self, base):
        return dict(base, **self.fields)


class TransferError(AtlasOpsError):
    """A file that could not be brought whole; ``status`` is the HTTP status, when there was an answer."""

    def __init__(self, message, status=None):
        super(TransferError, self).__init__(message)
        self.status = status


class ArchiveRejected(AtlasOpsError):
    """A file that failed a check (``check``: gzip, tar or sha1); nothing is kept under its final name."""

    def __init__(self, check, detail, name=None):
        message = '%s failed the %s check (%s); it was not kept' % (name, check, detail) if name else detail
        super(ArchiveRejected, self).__init__(message)
        self.check = check
        self.detail = detail
