#!/usr/bin/env python3
"""Real-browser test of the `dateline serve` page (Python 3 stdlib only).

Starts `dateline serve` on an index of the sample corpus, drives headless
Chromium over the DevTools protocol (--remote-debugging-pipe: JSON messages
ended by NUL bytes, commands on fd 3, replies on fd 4), types a query into the
search box and presses Enter, clicks a facet value with a real mouse click,
drags across the timeline, and checks every count shown against
`dateline search --count` and the query kept in the URL. Saves screenshots
(the results page at --screenshot, an article next to it).

Exit 0 on success, 1 on failure, 77 (ctest's SKIP_RETURN_CODE) when Chromium
is not installed. Every wait has a deadline; the whole run is cut at 60 s.
"""
import argparse
import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SKIP = 77
children = []  # processes to end on the way out


def fail(message):
    raise AssertionError(message)


class Browser:
    """Headless Chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, exe, profile):
        cmd_r, cmd_w = os.pipe()
        resp_r, resp_w = os.pipe()
        # Copies above the low fds, so that dup2 onto 3 and 4 never meets them.
        child_in, child_out = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10), fcntl.fcntl(resp_w, fcntl.F_DUPFD, 10)

        def to_fds_3_and_4():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.proc = subprocess.Popen(
            [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
             '--no-default-browser-check', '--remote-debugging-pipe', '--user-data-dir=' + profile,
             '--window-size=1280,1000', 'about:blank'],
            # 3 and 4 are kept open (they are open here: the pipes above), and
            # replaced in the child before it runs Chromium.
            pass_fds=(3, 4, child_in, child_out), preexec_fn=to_fds_3_and_4,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(self.proc)
        for fd in (cmd_r, resp_w, child_in, child_out):
            os.close(fd)
        self.out = os.fdopen(cmd_w, 'wb', buffering=0)
        self.inp = os.fdopen(resp_r, 'rb', buffering=0)
        self.replies = {}
        self.lock = threading.Condition()
        self.next_id = 0
        self.session = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b''
        while True:
            chunk = self.inp.read(65536)
            if not chunk:
                return
            buf += chunk
            while b'\0' in buf:
                raw, buf = buf.split(b'\0', 1)
                msg = json.loads(raw)
                if 'id' in msg:
                    with self.lock:
                        self.replies[msg['id']] = msg
                        self.lock.notify_all()

    def send(self, method, params=None, timeout=15, session=True):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session and self.session:
            msg['sessionId'] = self.session
        self.out.write(json.dumps(msg).encode() + b'\0')
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.next_id not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f'no reply to {method} within {timeout} s')
                self.lock.wait(left)
            reply = self.replies.pop(self.next_id)
        if 'error' in reply:
            fail(f'{method}: {reply["error"]}')
        return reply['result']

    def open_page(self):
        target = self.send('Target.createTarget', {'url': 'about:blank'}, session=False)['targetId']
        self.session = self.send('Target.attachToTarget', {'targetId': target, 'flatten': True},
                                 session=False)['sessionId']
        self.send('Page.enable')
        self.send('Runtime.enable')
        self.send('Emulation.setDeviceMetricsOverride',
                  {'width': 1280, 'height': 1000, 'deviceScaleFactor': 1, 'mobile': False})

    def eval(self, expression):
        r = self.send('Runtime.evaluate', {'expression': expression, 'returnByValue': True, 'awaitPromise': True})
        if 'exceptionDetails' in r:
            fail(f'{expression}: {r["exceptionDetails"]}')
        return r['result'].get('value')

    def wait_for(self, expression, what, timeout=15):
        """Polls `expression` until it is true; an exception (a page still loading) counts as false."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.send('Runtime.evaluate', {'expression': expression, 'returnByValue': True})
            if 'exceptionDetails' not in r and r['result'].get('value'):
                return r['result']['value']
            time.sleep(0.1)
        fail(f'timed out waiting for {what} ({expression})')

    def goto(self, url):
        """Navigates; the old page's ready mark is cleared first, so waits see the new page only."""
        self.eval("document.body && (document.body.dataset.ready = 'leaving')")
        self.send('Page.navigate', {'url': url})

    def key(self, key, code, vk, text=''):
        for kind in ('keyDown', 'keyUp'):
            params = {'type': kind, 'key': key, 'code': code, 'windowsVirtualKeyCode': vk}
            if kind == 'keyDown' and text:
                params['text'] = text
            self.send('Input.dispatchKeyEvent', params)

    def mouse(self, kind, x, y, buttons=1):
        params = {'type': kind, 'x': x, 'y': y, 'button': 'left', 'buttons': buttons, 'clickCount': 1}
        if kind == 'mouseMoved':
            params.pop('clickCount')
        self.send('Input.dispatchMouseEvent', params)

    def center_of(self, selector):
        """Scrolls the element into view; the centre of its box in viewport pixels."""
        box = self.eval(f'''(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: 'center'}});
            const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2, r.left, r.right];
        }})()''')
        if not box:
            fail(f'no element {selector}')
        return box

    def screenshot(self, path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        data = self.send('Page.captureScreenshot', {'format': 'png'})['data']
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))
        print(f'screenshot: {path}')

    def close(self):
        try:
            self.send('Browser.close', session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def cli_count(dateline, index, query):
    out = subprocess.run([dateline, 'search', '--count', '--index', index, '--', query],
                         capture_output=True, text=True, timeout=20, check=True).stdout
    return int(out.strip())


def start_server(dateline, index):
    proc = subprocess.Popen([dateline, 'serve', '--index', index, '--port', '0'],
                            stdout=subprocess.PIPE, text=True)
    children.append(proc)
    line = proc.stdout.readline().strip()  # the alarm bounds this wait
    prefix = 'listening on '
    if not line.startswith(prefix):
        fail(f'serve printed {line!r}')
    return proc, line[len(prefix):]


def page_query(browser):
    """The q of the page's URL."""
    search = browser.eval('location.search')
    return urllib.parse.parse_qs(search.lstrip('?')).get('q', [''])[0]


def wait_ready(browser, query):
    """Waits until the page has drawn the results of `query`; returns the count it shows."""
    browser.wait_for(f'document.body.dataset.ready === {json.dumps(query)}', f'results of {query!r}')
    return int(browser.eval("document.getElementById('total').textContent"))


def check_search(browser, args, index, base):
    browser.goto(base)
    browser.wait_for("document.readyState === 'complete' && document.activeElement && "
                     "document.activeElement.id === 'q'", 'the focused search box')
    browser.send('Input.insertText', {'text': args.query})
    browser.key('Enter', 'Enter', 13, '\r')
    shown = wait_ready(browser, args.query)
    expected = cli_count(args.dateline, index, args.query)
    print(f'{args.query!r}: page shows {shown}, search --count says {expected}')
    if shown != expected:
        fail(f'{args.query!r}: the page shows {shown} articles, search --count {expected}')
    if page_query(browser) != args.query:
        fail(f'the URL holds {page_query(browser)!r}, not {args.query!r}')


def check_facet_click(browser, args, index):
    selector = '.facet-value[data-field="speaker"]'
    if not browser.eval(f'!!document.querySelector({json.dumps(selector)})'):
        selector = '.facet-value'
    value = browser.eval(f'document.querySelector({json.dumps(selector)}).dataset.value')
    x, y, _, _ = browser.center_of(selector)
    browser.mouse('mouseMoved', x, y, buttons=0)
    browser.mouse('mousePressed', x, y)
    browser.mouse('mouseReleased', x, y, buttons=0)
    browser.wait_for(f"new URLSearchParams(location.search).get('q') !== {json.dumps(args.query)}",
                     'the URL to change after the facet click')
    narrowed = page_query(browser)
    if value not in narrowed or args.query not in narrowed:
        fail(f'after clicking {value!r} the URL holds {narrowed!r}')
    shown = wait_ready(browser, narrowed)
    expected = cli_count(args.dateline, index, narrowed)
    print(f'clicked {value!r}: {narrowed!r}: page shows {shown}, search --count says {expected}')
    if shown != expected:
        fail(f'{narrowed!r}: the page shows {shown} articles, search --count {expected}')
    if browser.eval("document.getElementById('q').value") != narrowed:
        fail('the search box does not hold the narrowed query')


def check_timeline_drag(browser, args, base):
    """Drags across most of the chart of the first query: it gets a date range."""
    browser.goto(base + '?' + urllib.parse.urlencode({'q': args.query}))
    wait_ready(browser, args.query)
    browser.wait_for("!document.getElementById('timeline').hidden", 'the timeline')
    _, y, left, right = browser.center_of('#chart svg')
    x0, x1 = left + (right - left) * 0.1, left + (right - left) * 0.9
    browser.mouse('mouseMoved', x0, y, buttons=0)
    browser.mouse('mousePressed', x0, y)
    browser.mouse('mouseMoved', (x0 + x1) / 2, y)
    browser.mouse('mouseMoved', x1, y)
    browser.mouse('mouseReleased', x1, y, buttons=0)
    browser.wait_for("(new URLSearchParams(location.search).get('q') || '').includes('date:')",
                     'a date range in the URL')
    dated = page_query(browser)
    shown = wait_ready(browser, dated)
    expected = cli_count(args.dateline, args.index, dated)
    print(f'dragged the timeline: {dated!r}: page shows {shown}, search --count says {expected}')
    if shown != expected or not dated.startswith(args.query + ' date:'):
        fail(f'{dated!r}: the page shows {shown} articles, search --count {expected}')


def check_article(browser, shot):
    """Clicks the first hit's title: the article is shown, its id in the URL."""
    href = browser.eval("document.querySelector('#hits a.title').getAttribute('href')")
    article = urllib.parse.parse_qs(href.split('?', 1)[1])['article'][0]
    x, y, _, _ = browser.center_of('#hits a.title')
    browser.mouse('mouseMoved', x, y, buttons=0)
    browser.mouse('mousePressed', x, y)
    browser.mouse('mouseReleased', x, y, buttons=0)
    browser.wait_for(f'document.body.dataset.ready === {json.dumps("article:" + article)}', 'the article')
    if urllib.parse.parse_qs(browser.eval('location.search').lstrip('?')).get('article') != [article]:
        fail('the URL does not name the article')
    if not browser.eval("document.querySelector('#article h1').textContent.length > 0"):
        fail('the article has no title')
    print(f'article {article} shown')
    browser.screenshot(shot)


def run(args):
    exe = args.chromium or shutil.which('chromium') or shutil.which('chromium-browser')
    if not exe:
        print('SKIP: chromium is not installed (apt-get install chromium)')
        return SKIP
    with tempfile.TemporaryDirectory(prefix='dateline-browser-') as tmp:
        index = args.index = os.path.join(tmp, 'idx')
        subprocess.run([args.dateline, 'index', '--index', index, args.samples], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        server, base = start_server(args.dateline, index)
        browser = Browser(exe, os.path.join(tmp, 'profile'))
        try:
            browser.open_page()
            check_search(browser, args, index, base)
            check_facet_click(browser, args, index)
            browser.screenshot(args.screenshot)
            check_article(browser, os.path.join(os.path.dirname(args.screenshot), 'article.png'))
            check_timeline_drag(browser, args, base)
        finally:
            browser.close()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        if server.returncode != 0:
            fail(f'serve exited with {server.returncode} after SIGTERM')
    print('ok')
    return 0


def on_alarm(signum, frame):
    raise TimeoutError('the browser test took over 60 s')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dateline', required=True, help='the dateline executable')
    p.add_argument('--samples', required=True, help='corpus to index (corpus/samples)')
    p.add_argument('--screenshot', required=True, help='PNG of the results page (an article.png beside it)')
    p.add_argument('--query', default='rates', help='the query typed into the page')
    p.add_argument('--chromium', help='the browser (default: chromium on PATH)')
    args = p.parse_args()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(60)
    try:
        return run(args)
    except (AssertionError, TimeoutError, subprocess.SubprocessError, OSError) as e:
        print(f'FAIL: {e}', file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        for proc in children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


if __name__ == '__main__':
    sys.exit(main())
