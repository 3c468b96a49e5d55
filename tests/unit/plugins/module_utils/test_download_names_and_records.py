# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The names a download gives its files (job tokens, names with the job, segments from answers) and the
record beside each file: what its bytes look like, how it reaches its name, which records count.
"""

from __future__ import annotations

import hashlib
import os
import re

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import download_files
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    MAX_RECORD_BYTES,
    UnsafeFile,
    check_held,
    fallback_name,
    job_token,
    name_with_job,
    path_inside,
    read_record,
    record_path,
    safe_segment,
    write_record,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import as_root

OTHER_UID = 4242


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


def test_a_job_id_keeps_its_letters_of_both_cases_digits_dashes_and_underscores():
    assert job_token('5f1A2b3C-d_E0123456789ab') == '5f1A2b3C-d_E0123456789ab'


def test_other_characters_of_a_job_id_are_dropped_not_replaced():
    assert job_token('job.id/1 +2') == 'jobid12'


@pytest.mark.parametrize('job_id', ['', '...', 'é/ü'])
def test_a_job_id_with_nothing_usable_becomes_restore(job_id):
    assert job_token(job_id) == 'restore'
    assert fallback_name(job_id, 2) == 'restore-2.tar.gz'


def test_a_long_job_id_with_a_lone_surrogate_is_cut_with_a_hash_of_it_replaced():
    # An id from a JSON answer may hold "\ud800": it is hashed as "?", never refused.
    job_id = 'a' * 30 + '\ud800'
    expected = 'a' * 15 + '-' + hashlib.sha256(('a' * 30 + '?').encode('ascii')).hexdigest()[:8]
    assert job_token(job_id) == expected


def test_a_name_without_an_archive_extension_gets_the_job_at_its_end():
    assert name_with_job('restore.bin', 'Job_1') == 'restore.bin-Job_1'
    assert name_with_job('restore', 'Job_1') == 'restore-Job_1'


def test_a_name_from_an_answer_that_is_no_string_is_no_name():
    assert safe_segment(None) is None
    assert safe_segment(12) is None


def test_a_name_with_capital_x_is_kept():
    assert safe_segment('XFILE-X.tar.gz') == 'XFILE-X.tar.gz'


def test_a_name_that_leads_out_of_download_dest_is_refused_word_for_word(dest, tmp_path_factory):
    elsewhere = str(tmp_path_factory.mktemp('elsewhere'))
    os.symlink(os.path.join(elsewhere, 'f.tar.gz'), os.path.join(dest, 'f.tar.gz'))
    with pytest.raises(UnsafeFile) as caught:
        path_inside(dest, 'f.tar.gz')
    assert str(caught.value) == ('%s would lie outside download_dest (a symbolic link?); nothing was written there: '
                                 'remove it, or choose another download_dest' % os.path.join(dest, 'f.tar.gz'))


def plant_record(dest, text):
    path = os.path.join(dest, 'f.tar.gz')
    with open(record_path(path), 'wb') as handle:
        handle.write(text)
    return path


def test_a_record_of_exactly_the_limit_is_read_whole(dest):
    head = b'{"job_id": "j", "pad": "'
    text = head + b'x' * (MAX_RECORD_BYTES - len(head) - 2) + b'"}'
    assert len(text) == MAX_RECORD_BYTES
    assert read_record(plant_record(dest, text))['job_id'] == 'j'


def test_a_record_longer_than_the_limit_is_no_record_even_when_it_starts_with_one(dest):
    assert read_record(plant_record(dest, b'{"job_id": "j"}' + b' ' * MAX_RECORD_BYTES)) is None


def test_a_record_that_is_no_json_object_is_no_record(dest):
    assert read_record(plant_record(dest, b'["job_id", "j"]')) is None


def test_a_record_is_one_sorted_key_a_line_ending_with_a_newline(dest):
    path = os.path.join(dest, 'f.tar.gz')
    write_record(path, {'job_id': 'j', 'file_uid': 0})
    with open(record_path(path)) as handle:
        assert handle.read() == '{\n "file_uid": 0,\n "job_id": "j"\n}\n'


def test_a_record_is_written_under_a_hidden_name_beside_it_then_renamed(dest, monkeypatch):
    # Until the rename, the directory shows nothing under the record's name, only a dot-file naming it:
    # a run cut short leaves no half record, and the rename never crosses file systems.
    renames, real_replace = [], os.replace

    def watched_replace(source, target):
        renames.append((source, target, sorted(os.listdir(dest))))
        return real_replace(source, target)
    monkeypatch.setattr(download_files.os, 'replace', watched_replace)
    path = os.path.join(dest, 'f.tar.gz')
    write_record(path, {'job_id': 'j'})
    [(source, target, listing)] = renames
    assert (os.path.dirname(source), target) == (dest, record_path(path))
    assert re.fullmatch(r'\.f\.tar\.gz\.atlasops\.json\.[^./]+\.tmp', os.path.basename(source)), source
    assert listing == [os.path.basename(source)]
    assert sorted(os.listdir(dest)) == ['f.tar.gz.atlasops.json']


@as_root
def test_a_file_handed_to_another_account_is_still_held_when_its_record_names_that_account(dest):
    path = os.path.join(dest, 'f.tar.gz')
    with open(path, 'wb') as handle:
        handle.write(b'data')
    os.chown(path, OTHER_UID, OTHER_UID)
    write_record(path, {'job_id': 'j', 'file_uid': OTHER_UID})
    assert check_held(path).st_uid == OTHER_UID
    write_record(path, {'job_id': 'j'})
    with pytest.raises(UnsafeFile):
        check_held(path)
