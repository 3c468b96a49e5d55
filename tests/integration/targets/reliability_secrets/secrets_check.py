# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the module targets at -vvvv with canary secrets and look for the canaries everywhere.

Then the same against a server that echoes what it was sent (issue 30): the access token it issued
comes back in an error's detail, the private key in a proxy's error page. Neither may show.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIGEST_CHALLENGE = 'Digest realm="MMS Public API", domain="", nonce="n0nce", algorithm=MD5, qop="auth", stale=false'


def emulator_module(config):
    """The bundled emulator's module, found through integration_config.yml."""
    sys.path.insert(0, os.path.dirname(config['atlas_emulator_script']))
    import atlas_emulator  # pylint: disable=import-outside-toplevel
    return atlas_emulator


class EchoHandler(BaseHTTPRequestHandler):
    """Issues the canary token; answers every API call with an error quoting a secret."""
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers):
        body = body.encode()
        self.send_response(status)
        for name, value in dict(headers, **{'Content-Length': str(len(body))}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)
        sent = self.headers.get('Authorization', '')
        canaries = self.server.canaries
        if self.path == '/api/oauth/token':
            self.reply(200, json.dumps({'access_token': canaries['token'], 'expires_in': 3600}),
                       {'Content-Type': 'application/json'})
        elif sent.startswith('Bearer '):
            self.reply(400, json.dumps({'error': 400, 'errorCode': 'INVALID_TOKEN', 'detail': 'Invalid token: %s' % sent}),
                       {'Content-Type': 'application/json'})
        elif not sent:
            self.reply(401, '{"error": 401, "errorCode": "UNAUTHORIZED"}',
                       {'Content-Type': 'application/json', 'WWW-Authenticate': DIGEST_CHALLENGE})
        else:
            self.reply(400, '<html><title>Bad key %s</title></html>' % canaries['private_key'],
                       {'Content-Type': 'text/html'})

    do_GET = do_POST = _serve


def echo_scenarios(work, env):
    """The echo play against a fresh echo server; (run, canaries)."""
    canaries = {'token': 'TOKEN-CANARY-' + secrets.token_hex(12),
                'private_key': 'ECHO-PRIVATE-CANARY-' + secrets.token_hex(12),
                'client_secret': 'ECHO-SECRET-CANARY-' + secrets.token_hex(12)}
    server = ThreadingHTTPServer(('127.0.0.1', 0), EchoHandler)
    server.daemon_threads = True
    server.canaries = canaries
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        echo_vars = os.path.join(work, 'echo.json')
        with open(echo_vars, 'w') as handle:
            json.dump({'echo_url': 'http://127.0.0.1:%d' % server.server_address[1],
                       'echo_private_key': canaries['private_key'], 'echo_client_secret': canaries['client_secret']},
                      handle)
        run = subprocess.run(['ansible-playbook', '-vvvv', 'echo.yml', '-e', '@' + echo_vars],
                             env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        server.shutdown()
        server.server_close()
    return run, canaries


def main(config_path, roles_path, work):
    with open(config_path) as handle:
        config = json.load(handle)
    url = config['atlas_emulator_url']
    control = emulator_module(config).control
    canaries = {'private_key': 'PRIVATE-CANARY-' + secrets.token_hex(12),
                'client_secret': 'CLIENT-SECRET-CANARY-' + secrets.token_hex(12)}
    control(url, 'config', {'credentials': canaries})
    try:
        # In a vars file, as users keep them (a vault, say): -vvvv echoes command-line extra vars.
        secrets_file = os.path.join(work, 'secrets.json')
        with open(secrets_file, 'w') as handle:
            json.dump({'atlas_private_key': canaries['private_key'],
                       'atlas_client_secret': canaries['client_secret']}, handle)
        env = dict(os.environ, ANSIBLE_ROLES_PATH=roles_path, ANSIBLE_LOCALHOST_WARNING='false')
        run = subprocess.run(['ansible-playbook', '-vvvv', 'play.yml', '-e', '@' + config_path, '-e', '@' + secrets_file],
                             env=env, capture_output=True, text=True, timeout=900, check=False)
        seen = control(url, 'requests?all=true')['requests']
    finally:
        control(url, 'config', {'credentials': {'private_key': config['atlas_private_key'],
                                                'client_secret': config['atlas_client_secret']}})
    with open(os.path.join(work, 'stdout.txt'), 'w') as handle:
        handle.write(run.stdout)
    echo_run, echo_canaries = echo_scenarios(work, env)
    places = {'stdout (results at -vvvv)': (run.stdout, canaries), 'stderr': (run.stderr, canaries),
              'URLs the emulator saw': ('\n'.join(r['path'] + '?' + r['query'] for r in seen), canaries),
              'stdout of the echo play': (echo_run.stdout, echo_canaries),
              'stderr of the echo play': (echo_run.stderr, echo_canaries)}
    found = {place: sum(text.count(canary) for canary in told.values()) for place, (text, told) in places.items()}
    for place, count in found.items():
        print('secret occurrences in %s: %d' % (place, count))
    print('scenarios run: %s; output read: %d bytes; requests seen: %d'
          % ('all passed' if run.returncode == 0 else 'FAILED (rc %d)' % run.returncode, len(run.stdout), len(seen)))
    print('echo scenarios: %s' % ('all passed' if echo_run.returncode == 0 else 'FAILED (rc %d)' % echo_run.returncode))
    for failed in (done for done in (run, echo_run) if done.returncode != 0):
        print(failed.stdout[-3000:])
        print(failed.stderr[-3000:])
    return 0 if run.returncode == 0 and echo_run.returncode == 0 and not any(found.values()) and seen else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
