"""Screenshots of pages as given users see them, for a human to look at.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL OUT_DIR login:/path [login:/path ...]
(password demo1234, the demo's). Uses Debian's /usr/bin/chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main() -> None:
    base, out, *shots = sys.argv[1:]
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for i, spec in enumerate(shots):
            login, path = spec.split(":", 1)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/dang-nhap")
            page.fill("#username", login)
            page.fill("#password", "demo1234")
            page.click("button[type=submit]")
            page.goto(f"{base}{path}")
            name = f"{i:02d}-{login}-{path.strip('/').replace('/', '_') or 'home'}.png"
            page.screenshot(path=str(Path(out) / name), full_page=True)
            print(Path(out) / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
