# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the documentation site in a real headless browser: every page renders, every internal link resolves.

    python docs_site_check.py SITE_HTML_DIR [SCREENSHOT.png]

Serves SITE_HTML_DIR on 127.0.0.1 and walks it with Chromium through Playwright, from
index.html along every link and through every .html file the build wrote. A page fails when it
does not answer 200, when the browser reports a JavaScript error or a failed request of one of
its own resources (style sheets, scripts, images), when it shows no heading, or when it shows
Sphinx's "page not found"; the search page must find "snapshot". A link fails when its file does not exist, or when its #fragment
names no element of the page. Links to other hosts are listed, not fetched (no network here).
The browser is the system's Chromium (Debian's package, bindep.txt): Playwright's own download
of a browser needs a host these machines cannot reach. CHROMIUM overrides its path.
"""

from __future__ import annotations

import functools
import glob
import http.server
import os
import sys
import threading
import urllib.parse

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
# Every link and element id of the page, after the browser has rendered it.
PAGE_FACTS = '''() => ({
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id)
       .concat(Array.from(document.querySelectorAll('a[name]'), a => a.name)),
  heading: (document.querySelector('h1') || {}).textContent || '',
  text: document.body ? document.body.innerText.length : 0,
})'''


def serve(directory):
    """A quiet HTTP server of ``directory`` on a free port of 127.0.0.1, in a thread."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A browser closing a page drops the requests still in flight: not the site's fault.
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)
    server = Server(('127.0.0.1', 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check_page(page, url, problems):
    """Open ``url``; the page's facts, or None when it failed to load."""
    errors = []
    page.on('pageerror', lambda error: errors.append('JavaScript error: %s' % error))
    page.on('requestfailed', lambda request: errors.append('request failed: %s' % request.url))
    page.on('response', lambda response: errors.append('HTTP %d: %s' % (response.status, response.url))
            if response.status >= 400 else None)
    answer = page.goto(url, wait_until='load')
    facts = page.evaluate(PAGE_FACTS)
    if answer is None or answer.status != 200:
        problems.append('%s: HTTP %s' % (url, answer and answer.status))
        return None
    if url.endswith('/search.html'):
        # The search page renders its results with JavaScript from the index Sphinx wrote.
        page.goto(url + '?q=snapshot', wait_until='load')
        found = page.wait_for_selector('ul.search li', timeout=15000)
        if found is None:
            problems.append('%s: a search for "snapshot" found nothing' % url)
    elif not facts['heading'].strip() or facts['text'] < 200:
        problems.append('%s: renders no heading or almost no text' % url)
    if 'Page not found' in facts['heading']:
        problems.append('%s: Sphinx page not found' % url)
    problems.extend('%s: %s' % (url, error) for error in errors)
    return facts


def crawl(html_dir, screenshot=None):
    server = serve(html_dir)
    base = 'http://127.0.0.1:%d/' % server.server_address[1]
    pages = set(base + os.path.relpath(path, html_dir).replace(os.sep, '/')
                for path in glob.glob(os.path.join(html_dir, '**', '*.html'), recursive=True))
    to_visit, seen, facts_of, problems, external = [base + 'index.html'], set(), {}, [], set()
    links = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            while to_visit or pages - seen:
                url = to_visit.pop() if to_visit else sorted(pages - seen)[0]
                if url in seen:
                    continue
                seen.add(url)
                page = browser.new_page()
                facts = check_page(page, url, problems)
                if screenshot and url == base + 'index.html':
                    page.set_viewport_size({'width': 1280, 'height': 900})
                    page.screenshot(path=screenshot)
                page.close()
                if facts is None:
                    continue
                facts_of[url] = facts
                for link in facts['links']:
                    target, _hash, fragment = link.partition('#')
                    if not target.startswith(base):
                        external.add(target)
                        continue
                    links.append((url, target, fragment))
                    if target.endswith('.html') and target not in seen:
                        to_visit.append(target)
        finally:
            browser.close()
            server.shutdown()
    for source, target, fragment in links:
        local = os.path.join(html_dir, urllib.parse.unquote(target[len(base):]))
        if not os.path.exists(local):
            problems.append('%s links to %s, which does not exist' % (source, target))
        elif fragment and target in facts_of and urllib.parse.unquote(fragment) not in facts_of[target]['ids']:
            problems.append('%s links to %s#%s: no such anchor' % (source, target, fragment))
    return seen, links, external, problems


def main(html_dir, screenshot=None):
    seen, links, external, problems = crawl(os.path.abspath(html_dir), screenshot)
    for problem in problems:
        print('docs-site-test: FAILED: %s' % problem)
    print('docs-site-test: %d pages opened in Chromium, %d internal links checked, %d external links not fetched: %s'
          % (len(seen), len(links), len(external), 'FAILED' if problems else 'passed'))
    return 1 if problems or not seen else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
