"""Browser testing in real Chromium (Debian's /usr/bin/chromium) through Playwright.

Fixtures:
- `page`: a desktop-sized page; `phone_page`: a phone-sized one (390 x 844, touch).
- `sign_in_browser(page, membership)`: a prepared OTP-verified session acting in `membership`
  (the real TOTP sign-in has its own test); returns the live server's base URL.
- `assert_accessible(page)`: an axe-core scan of the current page; fails on any serious or
  critical violation. Call it on every page template a test visits.
"""

import contextlib
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_page(chromium, live_server, **context_options):
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam", **context_options
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return context, page


def _close(context, page):
    """Let requests the page started on its own (htmx loading a dossier's trajectory cards)
    finish before the test's database is emptied under the live server."""
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # a page that never settles is closed all the same
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture
def page(chromium, live_server):
    context, page = _new_page(chromium, live_server, viewport={"width": 1280, "height": 900})
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(chromium, live_server):
    context, page = _new_page(
        chromium,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    _close(context, page)


@pytest.fixture
def sign_in_browser(live_server):
    """sign_in_browser(page, membership) -> base URL, with a verified session cookie set."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.accounts.middleware import SESSION_LAST_SEEN, SESSION_MEMBERSHIP

    def _sign_in(page, membership):
        user = membership.user
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[SESSION_MEMBERSHIP] = membership.pk
        store[SESSION_LAST_SEEN] = int(time.time())
        store.save()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": store.session_key,
                    "url": live_server.url,
                }
            ]
        )
        return live_server.url

    return _sign_in


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Scan the page as it stands once loaded. A scan that a navigation overtook (a click just
    before it) runs again on the page the browser landed on."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            # Evaluated through the DevTools protocol, so the page's CSP stays on.
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                page.evaluate(AXE_SOURCE)
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    return [v for v in result["violations"] if v.get("impact") in impacts]


@pytest.fixture
def assert_accessible():
    def _check(page):
        violations = axe_violations(page)
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(
                node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                for node in v["nodes"][:5]
            )
            for v in violations
        )
        assert not violations, f"axe found violations on {page.url}:\n{report}"

    return _check
