# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``msg`` of a failed task from an Atlas API error: the error alone when nothing explains it, and a hint
built from Atlas's own detail when the detail is what tells the wrong backup API."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_module import fail

DETAIL = 'The required attribute targetProjectId was not specified.'


def test_an_api_error_with_nothing_to_explain_it_reads_as_itself():
    error = AtlasApiError('Atlas API error GET u: HTTP 500 Internal Server Error.', status=500)
    assert error.failure_message() == 'Atlas API error GET u: HTTP 500 Internal Server Error.'


def test_the_flex_hint_comes_from_the_detail_atlas_answered():
    error = AtlasApiError('Atlas API error POST u: HTTP 400 MISSING_ATTRIBUTE: %s' % DETAIL, status=400,
                          error_code='MISSING_ATTRIBUTE', detail=DETAIL)
    assert fail(error)['msg'] == (
        'Atlas API error POST u: HTTP 400 MISSING_ATTRIBUTE: The required attribute targetProjectId was not '
        'specified. The Flex API asks for targetProjectId, which the request carried, as it does for a cluster '
        'that is not a Flex cluster: if it is a dedicated cluster, set backup_type: cloud')


def test_an_explainer_is_given_the_error_code_and_the_detail():
    seen = []
    error = AtlasApiError('Atlas API error GET u: HTTP 409 X.', status=409, error_code='X', detail='why')
    message = error.failure_message(lambda code, detail: seen.append((code, detail)))
    assert message == 'Atlas API error GET u: HTTP 409 X.'
    assert seen == [('X', 'why')]
