# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: walking a paged Atlas list.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

MAX_ITEMS_PER_PAGE = 500


class Paginator:
    """Walks a paged Atlas list with ``pageNum`` from 1, fetching a page only when needed.

    Iteration stops when ``totalCount`` items were read, when a page comes back short
    or empty, or once ``limit`` items were yielded.  ``total_count`` holds the last
    ``totalCount`` Atlas sent (None before the first page, or if Atlas sent none).
    """

    def __init__(self, client, segments, params=None, limit=None, items_per_page=MAX_ITEMS_PER_PAGE,
                 media_type=None):
        self.client = client
        self.media_type = media_type
        self.segments = segments
        self.params = dict(params or {})
        self.limit = limit
        self.items_per_page = items_per_page
        self.total_count = None
        self.pages_read = 0

    def __iter__(self):
        query = dict(self.params, itemsPerPage=self.items_per_page, includeCount='true')
        seen = 0
        page_num = 1
        while self.limit is None or seen < self.limit:
            query['pageNum'] = page_num
            page = self.client.get(self.segments, params=sorted(query.items()), media_type=self.media_type) or {}
            self.pages_read += 1
            results = page.get('results') or []
            if page.get('totalCount') is not None:
                self.total_count = page['totalCount']
            for item in results:
                if self.limit is not None and seen >= self.limit:
                    return
                seen += 1
                yield item
            if len(results) < self.items_per_page or (self.total_count is not None and seen >= self.total_count):
                return
            page_num += 1
