# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Atlas emulator, in layers (``atlas_emulator.py`` is its entry point).

- the server core: ``handler`` (HTTP, media types, envelope/pretty, faults, dispatch), ``auth`` (Digest
  and Service Account tokens), ``faults``, ``ratelimit``, ``routing`` (routes, paging, what a handler
  is given), ``control`` (the ``/_emulator/`` API), ``state`` (what the emulator knows), ``clock`` and
  ``lifecycle`` (job progress on the emulated clock), ``common`` (errors, ids, times);
- ``resources/``: one file per Atlas resource, each declaring its ``ROUTES`` once (method, path, the
  spec's operationId, handler) with its seeding and reset beside them; ``resources/__init__.py``
  lists them.

Everything inside imports its siblings relatively, so the package works both as part of the
collection and from ``python tests/emulator/atlas_emulator.py`` (where it is the top-level ``server``).
"""
