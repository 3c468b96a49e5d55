# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's resources, one module each.

A resource module may define, all optional:

- ``ROUTES``: its ``routing.Route`` declarations (method, path, operationId, handler, media type);
- ``reset(state)``: put its part of the state back to the defaults (after the clock is new);
- ``check_seed(state, data)``: refuse a ``POST /_emulator/seed`` document before anything is seeded;
- ``seed(state, data, created)``: seed its keys of the document, adding what it made to ``created``;
- ``clusters_listing(state)`` and ``jobs_listing(state, now, base_url)``: its part of
  ``GET /_emulator/clusters`` and ``GET /_emulator/jobs``.

``downloads`` serves the download links (``/backup/...``), which are no API routes.
"""

from __future__ import annotations

from . import (clusters, cloud_restores, collection_restores, flex, legacy_restores, restore_jobs, snapshot_taking,
               snapshots)

# Reset, seeding and the control API's listings go in this order: jobs need their clusters, and
# GET /_emulator/jobs lists cloud and legacy jobs, then collection restore jobs, then Flex jobs.
RESOURCES = (clusters, snapshots, snapshot_taking, restore_jobs, cloud_restores, legacy_restores, collection_restores, flex)
ROUTES = tuple(route for resource in RESOURCES for route in getattr(resource, 'ROUTES', ()))


def each(hook):
    """The ``hook`` function of every resource that has one, in order."""
    return [getattr(resource, hook) for resource in RESOURCES if hasattr(resource, hook)]
