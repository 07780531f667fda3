"""Signing in the way a user does: password, the authenticator app, backup codes, roles."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from koers.accounts.tests.factories import TEST_PASSWORD, MembershipFactory
from koers.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser

HOME = re.compile(r"/caseload/$")  # where regisseurs and klantmanagers start


def app_code(key: bytes, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` periods of 30 s later: a code
    is accepted once, so a second sign-in in the same period uses the next one)."""
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def watch_console(page) -> list[str]:
    """Console errors (a CSP violation shows up here), apart from the favicon that base.html
    does not link yet and Chromium asks for anyway."""
    errors: list[str] = []

    def record(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", record)
    return errors


def fill_password(page, user):
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_new_user_sets_up_the_app_and_signs_in_again_with_a_code(page, assert_accessible):
    errors = watch_console(page)
    membership = MembershipFactory(regisseur=True)
    user = membership.user

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")
    assert_accessible(page)
    fill_password(page, user)

    # Enrolment: QR code and key, confirmed with the code the app would show.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.locator(".koers-qr svg")).to_be_visible()
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code", exact=True).fill(app_code(key))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw back-upcodes")
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Doorgaan").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("acting-membership")).to_contain_text("Regisseur")
    assert TOTPDevice.objects.get(user=user).confirmed

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")
    page.goto("/clienten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")

    fill_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Voer uw verificatiecode in")
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Controleren").click()
    # After the code the user continues to the page they asked for.
    expect(page).to_have_url(re.compile(r"/clienten/$"))
    assert not errors


def test_a_user_with_two_roles_chooses_one_and_switches(page, assert_accessible):
    errors = watch_console(page)
    organisation = OrganisationFactory()
    regisseur = MembershipFactory(regisseur=True, organisation=organisation)
    MembershipFactory(klantmanager=True, organisation=organisation, user=regisseur.user)
    device = TOTPDevice.objects.create(user=regisseur.user, name="Telefoon", confirmed=True)

    page.goto("/inloggen/")
    fill_password(page, regisseur.user)
    page.get_by_label("Code", exact=True).fill(app_code(device.bin_key))
    page.get_by_role("button", name="Controleren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("In welke rol werkt u nu?")
    assert_accessible(page)
    page.get_by_label(re.compile(r"Regisseur –")).check()
    page.get_by_role("button", name="Doorgaan").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("acting-membership")).to_contain_text("Regisseur")
    expect(page.get_by_text("U werkt nu als Regisseur")).to_be_visible()

    page.get_by_role("link", name="Wissel van rol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("In welke rol werkt u nu?")
    expect(page.get_by_label(re.compile(r"Regisseur –"))).to_be_checked()
    page.get_by_label(re.compile(r"Klantmanager")).check()
    page.get_by_role("button", name="Doorgaan").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("acting-membership")).to_contain_text("Klantmanager")
    assert not errors


def test_the_sign_in_page_switches_to_english_and_back(page):
    errors = watch_console(page)
    page.goto("/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Koers")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Username")).to_be_visible()
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert not errors


def test_too_many_wrong_passwords_show_the_locked_page(page, assert_accessible):
    user = MembershipFactory().user
    page.goto("/inloggen/")

    def wrong_password():
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()

    for _ in range(4):
        wrong_password()
        expect(page.get_by_role("alert")).to_contain_text(
            "De gebruikersnaam of het wachtwoord is niet juist."
        )
    wrong_password()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen is tijdelijk geblokkeerd")
    assert_accessible(page)


def test_the_sign_in_page_works_on_a_phone(phone_page, assert_accessible):
    errors = watch_console(phone_page)
    user = MembershipFactory().user
    phone_page.goto("/inloggen/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Koers")
    phone_page.wait_for_load_state("load")
    assert phone_page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways on a phone"
    assert_accessible(phone_page)
    fill_password(phone_page, user)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(
        "Tweestapsverificatie instellen"
    )
    phone_page.wait_for_load_state("load")  # measured with its stylesheets applied
    assert phone_page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the enrolment page scrolls sideways on a phone"
    assert not errors
