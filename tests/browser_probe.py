"""Open one page in headless Chromium and print a JavaScript expression's value as JSON.

Run as a subprocess by the Korean-first tests, so their browser never shares a process
(and Playwright's event loop) with the session-wide browser of tests/test_browser.py.

    python browser_probe.py CHROMIUM URL COLOR_SCHEME WAIT_FOR_JS EXPRESSION_JS
"""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright


def probe(chromium: str, url: str, scheme: str, wait_for: str, expression: str) -> object:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--allow-file-access-from-files"])
        try:
            page = browser.new_page(color_scheme=scheme)
            page.goto(url)
            page.wait_for_function(wait_for, timeout=20_000)
            return page.evaluate(expression)
        finally:
            browser.close()


if __name__ == "__main__":
    print(json.dumps(probe(*sys.argv[1:6]), ensure_ascii=False))
