# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two names a user reads: a download link whose URL has no path (nothing to name the file by) gets the job's
name for it, and the task that undoes a restore is named after the cluster it restores into."""

from __future__ import annotations

import yaml

from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import named_files
from ansible_collections.atlasops.backup.plugins.module_utils.undo_snapshots import UNDO_MODULE, undo_result

GROUP = '5a6669d9fcc178211a0d86b1'


def test_links_without_a_path_are_named_after_the_job():
    links = [{'url': 'https://download.example'}, {'url': 'https://download.example/'}]
    assert [link['name'] for link in named_files({'id': 'job1'}, links)] == ['job1-1.tar.gz', 'job1-2.tar.gz']


def test_the_undo_task_is_named_after_the_target_cluster():
    snapshot = {'id': 'a' * 24, 'status': 'completed', 'snapshotType': 'onDemand'}
    undo = undo_result(True, 'atlasops.backup undo', snapshot, GROUP, 'Target0', 0)
    assert undo['restore_task_yaml'].splitlines()[0] == '- name: Undo the restore into Target0'
    assert yaml.safe_load(undo['restore_task_yaml']) == [
        {'name': 'Undo the restore into Target0', UNDO_MODULE: undo['restore_task']}]
