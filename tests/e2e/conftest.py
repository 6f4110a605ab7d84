"""Browser fixtures: Playwright (Python) drives Debian's Chromium (/usr/bin/chromium) against the live server.

We never run `playwright install`: the browser comes from the OS package (`apt-get install chromium fonts-noto-cjk`).
Tests skip cleanly when that binary is absent; CI installs it, so there they run.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DXTALENT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(os.environ.get("DXTALENT_E2E_SCREENSHOTS", "/tmp"))


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A fresh Chromium page per test (Japanese locale, Tokyo time).

    `page.dx_errors` collects uncaught script errors and CSP violations: tests assert it stays empty.
    (A missing vendor file — static_build not built — is a 404, not collected: the pages work without htmx.)
    """
    if not chromium_available():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install with: apt-get install -y chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM refuses to run while a loop
    # runs unless told it is safe. It is here: the loop only drives the browser, and the ORM calls are ours.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            viewport={"width": 1280, "height": 900},
            base_url=live_server.url,
        )
        # Generous waits: CI machines are shared and the first request also warms up templates and static files.
        context.set_default_timeout(20_000)
        context.set_default_navigation_timeout(30_000)
        sync_api.expect.set_options(timeout=10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.dx_errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"e2e-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
