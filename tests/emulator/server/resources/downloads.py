# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The download links of the Atlas emulator: real ``.tar.gz`` archives, generated, never stored.

Every finished download restore offers links under ``/backup/``: Cloud Backup
``/backup/restore/v2/pull/{job}/{key}/{file}`` (one per restore, or one per shard and config
server; the file ``restore-{snapshot}.tar.gz`` as recorded, or ``{cluster}.tar.gz`` with config
``download_names: cluster``), legacy ``url`` (the key in the path) and ``urlV2`` (the key in
the ``authHeader`` header), Flex ``/backup/flex/download/{job}/{key}/{snapshot}.tar.gz``. Each archive is a tar of one member of
``download_bytes`` pseudo-random bytes (config), gzip-wrapped with stored blocks, so that
gigabytes cost little CPU; the same link always gives the same bytes, so ``Range`` requests
resume exactly. Each request counts as one use of the link: legacy links refuse once
``maxDownloads`` uses are spent, every link once it expired. A legacy job shows ``hashes``
(SHA1 of the file, as seeds 000 and 004 describe) once a whole file was sent. Faults
``drop_body`` (close after ``after_bytes`` bytes of body) and ``corrupt_body`` (flip the byte
at ``at_byte``) strike mid-stream. Config ``download_bytes_per_second`` serves each request
no faster than that (real time: a link's speed, for the benchmarks), as a link that caps each
connection does. Refusals answer in plain text with the emulator's own
words: Atlas's are not documented.
"""

from __future__ import annotations

import hashlib
import random
import re
import tarfile
import threading
import time
import zlib

from ..faults import BODY_FAULT_KINDS, take_fault

CHUNK = 1 << 20
_BLOCK_CACHE = {}
_DESCRIPTIONS = {}
_LOCK = threading.Lock()


def _payload_block(seed):
    with _LOCK:
        if seed not in _BLOCK_CACHE:
            _BLOCK_CACHE[seed] = random.Random(seed).randbytes(CHUNK)
        return _BLOCK_CACHE[seed]


class Archive:
    """One ``.tar.gz`` of a member ``restore/<name>.data`` holding ``size`` bytes; the same bytes on every read."""

    def __init__(self, name, size, seed):
        self.name = name
        self.size = int(size)
        self.seed = seed

    def _tar_parts(self):
        member = tarfile.TarInfo('restore/%s.data' % self.name)
        member.size = self.size
        member.mtime = 0
        member.mode = 0o644
        yield member.tobuf(format=tarfile.USTAR_FORMAT)
        block, left = _payload_block(self.seed), self.size
        while left > 0:
            part = block[:min(CHUNK, left)]
            left -= len(part)
            yield part
        yield b'\0' * ((512 - self.size % 512) % 512) + b'\0' * 1024

    def chunks(self):
        """The archive's bytes, in pieces of about CHUNK bytes."""
        gzip = zlib.compressobj(0, zlib.DEFLATED, 31)
        for part in self._tar_parts():
            out = gzip.compress(part)
            if out:
                yield out
        yield gzip.flush()

    def describe(self):
        """(length, SHA1 hex) of the archive; computed once."""
        key = (self.name, self.size, self.seed)
        with _LOCK:
            known = _DESCRIPTIONS.get(key)
        if known is None:
            sha1, length = hashlib.sha1(), 0
            for piece in self.chunks():
                sha1.update(piece)
                length += len(piece)
            known = (length, sha1.hexdigest())
            with _LOCK:
                _DESCRIPTIONS[key] = known
        return known

    def read_from(self, offset):
        """The archive's bytes from ``offset`` on."""
        skipped = 0
        for piece in self.chunks():
            if skipped + len(piece) <= offset:
                skipped += len(piece)
                continue
            yield piece[max(0, offset - skipped):]
            skipped += len(piece)


RANGE = re.compile(r'^bytes=(\d+)-$')


def serve(handler, path, entry):
    """Answer ``GET /backup/...``: the archive of a download link, or a refusal in plain text."""
    state = handler.state
    job, file_name, key_in_path = _target(state, path)
    now = state.clock.now()
    with state.lock:
        size = int(state.config['download_bytes'])
        pace = float(state.config.get('download_bytes_per_second') or 0)
        uses = job.link_uses.get(file_name, 0)
    if job.state(now) != 'finished' or now >= job.link_expires_at:
        return refuse(handler, entry, 410, 'This download link has expired or is not ready.')
    if job.backup_type == 'legacy':
        if not key_in_path and handler.headers.get('X-Restore-Key') != job.download_key:
            return refuse(handler, entry, 401, 'The X-Restore-Key header is missing or wrong.')
        if uses >= job.max_downloads:
            return refuse(handler, entry, 410, 'This download link has been used %d times, its maximum.' % uses)
    archive = Archive('%s-%s' % (job.id, file_name), size, job.id + file_name)
    length, sha1 = archive.describe()
    start = 0
    wanted = handler.headers.get('Range')
    if wanted:
        match = RANGE.match(wanted.strip())
        if not match:
            return refuse(handler, entry, 416, 'Only ranges of the form bytes=N- are served.')
        start = int(match.group(1))
        if start >= length:
            entry['status'] = 416
            handler.send_answer(416, b'', 'text/plain', {'Content-Range': 'bytes */%d' % length})
            return
    with state.lock:
        job.link_uses[file_name] = uses + 1
    fault = take_fault(state, 'GET', path, explicit_only=True, kinds=BODY_FAULT_KINDS)
    status = 206 if start else 200
    entry['status'] = status
    entry['fault'] = fault.kind if fault is not None else None
    handler.send_response(status)
    handler.send_header('Content-Type', 'application/gzip')
    handler.send_header('Content-Length', str(length - start))
    handler.send_header('Accept-Ranges', 'bytes')
    if start:
        handler.send_header('Content-Range', 'bytes %d-%d/%d' % (start, length - 1, length))
    handler.end_headers()
    sent = start
    began = time.monotonic()
    for piece in archive.read_from(start):
        if pace:
            time.sleep(max(0.0, began + (sent - start) / pace - time.monotonic()))
        if fault is not None and fault.kind == 'corrupt_body' and sent <= fault.at_byte < sent + len(piece):
            spot = fault.at_byte - sent
            piece = piece[:spot] + bytes([piece[spot] ^ 0xFF]) + piece[spot + 1:]
        if fault is not None and fault.kind == 'drop_body' and sent + len(piece) > fault.after_bytes:
            handler.wfile.write(piece[:max(0, fault.after_bytes - sent)])
            handler.wfile.flush()
            entry['status'] = 'dropped'
            handler.close_connection = True
            return
        if sent + len(piece) == length:
            # Recorded before the last byte leaves: a client that looks at once (the job's hashes, the
            # request log) sees this download whole.
            with state.lock:
                job.files_sent[file_name] = sha1
            entry['bytes_sent'] = length - start
            handler.log_entry(status)
        handler.wfile.write(piece)
        sent += len(piece)


def _target(state, path):
    """(job, file name, whether the key came in the path) of a download path."""
    parts = path.strip('/').split('/')
    job_id, file_name, key_in_path = None, parts[-1], False
    if parts[:4] == ['backup', 'restore', 'v2', 'pull'] and len(parts) in (6, 7):
        job_id, key_in_path, key = parts[4], len(parts) == 7, parts[5]
    elif parts[:3] == ['backup', 'flex', 'download'] and len(parts) == 6:
        job_id, key_in_path, key = parts[3], True, parts[4]
    with state.lock:
        jobs = list(state.jobs) + list(state.flex.jobs)
    for job in jobs:
        if job.id == job_id and job.delivery == 'download':
            # Only legacy urlV2 goes without its key in the path: it sends it in a header.
            if (key_in_path and key != job.download_key) or (not key_in_path and job.backup_type != 'legacy'):
                break
            return job, file_name, key_in_path
    raise LookupError(path)


def refuse(handler, entry, status, text):
    entry['status'] = status
    handler.send_answer(status, text.encode(), 'text/plain; charset=utf-8')
