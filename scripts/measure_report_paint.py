#!/usr/bin/env python3
"""Times how long headless Chromium takes to render a report page, without the browser's start-up.

Starts Chromium once with the DevTools protocol on a local port, then for each run opens a new
tab on the page and reads the browser's own timing from navigation start to the load event (HTML
parsed, styles and layout done). It also times a full-page screenshot
(Page.captureScreenshot), which forces layout and paint of the whole page, not only the viewport.

Usage: scripts/measure_report_paint.py REPORT.html [runs]
Needs Debian's chromium and the websocket-client package (scripts/requirements-peers.txt).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

PORT = 9333


def devtools(path, method="GET"):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body.strip().startswith((b"{", b"[")) else body.decode()


class Tab:
    def __init__(self, url):
        self.info = devtools("/json/new?about:blank", method="PUT")
        self.ws = websocket.create_connection(self.info["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.url = url

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, event):
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == event:
                return message

    def close(self):
        self.ws.close()
        devtools(f"/json/close/{self.info['id']}")


def one_run(url):
    tab = Tab(url)
    try:
        tab.call("Page.enable")
        tab.call("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1, mobile=False)
        tab.call("Page.navigate", url=url)
        tab.wait_for("Page.loadEventFired")
        timing = tab.call("Runtime.evaluate", returnByValue=True, expression="""
            (() => { const n = performance.getEntriesByType('navigation')[0];
                     return {load: n.loadEventEnd || n.loadEventStart,
                             height: document.documentElement.scrollHeight,
                             svgs: document.querySelectorAll('svg').length}; })()""")["result"]["value"]
        started = time.perf_counter()
        tab.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot = time.perf_counter() - started
        return timing["load"] / 1000, screenshot, timing
    finally:
        tab.close()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    page = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    profile = tempfile.mkdtemp(prefix="colonnade-chromium-")
    browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                f"--remote-debugging-port={PORT}", f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                devtools("/json/version")
                break
            except OSError:
                time.sleep(0.1)
        one_run("file://" + page)  # warm-up: the first tab pays for process and font set-up
        results = [one_run("file://" + page) for _ in range(runs)]
    finally:
        browser.terminate()
        browser.wait()
    load = sorted(r[0] for r in results)
    shot = sorted(r[1] for r in results)
    total = sorted(r[0] + r[1] for r in results)
    info = results[0][2]
    print(f"{os.path.basename(page)}: {os.path.getsize(page)} bytes, {info['svgs']} SVG charts, page height {info['height']} px")
    for name, values in [("navigation to load event", load),
                         ("full-page screenshot (layout + paint of all of it)", shot),
                         ("load + full-page screenshot", total)]:
        print(f"  {name}: median {statistics.median(values):.3f} s (min {values[0]:.3f}, max {values[-1]:.3f})")


if __name__ == "__main__":
    main()
