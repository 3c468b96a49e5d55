# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route table: each resource declares its routes once; the Router finds the one a request is for.

A route is a method, a path pattern under the API prefix (``/groups/{groupId}/clusters/{clusterName}``,
the spec's own spelling), the operationId of the spec operation it serves, its handler and the
versioned media type the resource answers in.  A handler takes a ``Call`` and returns
``(status, document)``, or raises ``ApiErrorResponse``.  ``tests/unit/emulator/test_route_table.py``
holds the table against the spec cut and the referee.
"""

from __future__ import annotations

import re
from collections import namedtuple

from .common import MAX_ITEMS_PER_PAGE, V2_MEDIA_TYPE, ApiErrorResponse, json_object

API_PREFIXES = {'/api/atlas/v2': 'v2', '/api/atlas/v1.0': 'v1.0'}
SPEC_PREFIX = '/api/atlas/v2'
_PARAMETER = re.compile(r'^\{([^}]+)\}$')


class Route(namedtuple('Route', 'method pattern operation_id handler media_type')):
    """One served operation (see the module's docstring)."""

    def __new__(cls, method, pattern, operation_id, handler, media_type=V2_MEDIA_TYPE):
        return super().__new__(cls, method, pattern, operation_id, handler, media_type)

    @property
    def spec_path(self):
        return SPEC_PREFIX + self.pattern


class Router:
    """Finds the route of a path, segment by segment; a literal segment wins over a parameter
    (``snapshots/shardedClusters`` is not the snapshot ``shardedClusters``)."""

    def __init__(self, routes):
        self.routes = tuple(routes)
        self._shapes = [(tuple(route.pattern.strip('/').split('/')), route) for route in self.routes]

    def _fitting(self, segments):
        """The routes whose pattern fits, with their parameters; of several, only the most literal ones."""
        fitting = []
        for shape, route in self._shapes:
            if len(shape) != len(segments):
                continue
            params = {}
            for part, segment in zip(shape, segments):
                name = _PARAMETER.match(part)
                if name:
                    params[name.group(1)] = segment
                elif part != segment:
                    break
            else:
                fitting.append((len(params), route, params))
        fewest = min((count for count, _route, _params in fitting), default=0)
        return [(route, params) for count, route, params in fitting if count == fewest]

    def match(self, method, segments):
        """(route, path parameters) of ``method`` on ``segments`` (the path under the prefix, unquoted).

        A path no route has answers 404; a path whose routes take other methods, 405.
        """
        found = False
        for route, params in self._fitting(segments):
            found = True
            if route.method == method:
                return route, params
        if found:
            raise ApiErrorResponse(405, 'METHOD_NOT_ALLOWED', 'The method is not allowed for this resource.')
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource /%s' % '/'.join(segments))

    def media_type(self, segments):
        """The versioned media type of the resource at ``segments``, whatever the method; 404 for no resource."""
        for route, _params in self._fitting(segments):
            return route.media_type
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource /%s' % '/'.join(segments))


class Call:
    """One API request as a route's handler sees it: its parameters, and the state it may read and change."""

    def __init__(self, handler, api_version, params, query, body):
        self.state = handler.state
        self.path = handler.path          # as sent, with the query: the ``self`` link of a list
        self.base_url = handler.base_url()
        self.api_version = api_version
        self.params = params
        self.query = query
        self.body = body

    def now(self):
        return self.state.clock.now()

    def json(self):
        return json_object(self.body)

    def self_link(self):
        return [{'href': self.base_url + self.path, 'rel': 'self'}]

    def page(self, items, render):
        """One page of a list, as Atlas pages: pageNum from 1, itemsPerPage up to 500, totalCount."""
        query = self.query
        try:
            page_num = int(query.get('pageNum', 1))
            per_page = int(query.get('itemsPerPage', 100))
        except ValueError:
            raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER', 'pageNum and itemsPerPage must be integers.')
        if page_num < 1 or not 1 <= per_page <= MAX_ITEMS_PER_PAGE:
            raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER',
                                   'pageNum must be >= 1 and itemsPerPage between 1 and %d.' % MAX_ITEMS_PER_PAGE)
        chosen = items[(page_num - 1) * per_page:page_num * per_page]
        document = {'links': self.self_link(), 'results': [render(item) for item in chosen]}
        if query.get('includeCount', 'true').lower() != 'false':
            document['totalCount'] = len(items)
        return 200, document
