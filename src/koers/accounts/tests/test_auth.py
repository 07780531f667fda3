"""Signing in: password, lockout, the second step, idle timeout, memberships, signing out."""

import base64
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.middleware import SESSION_MEMBERSHIP
from koers.accounts.services import backup_codes_renew
from koers.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from koers.audit.models import AuditEvent
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.organisations.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

WRONG_PASSWORD_NL = "De gebruikersnaam of het wachtwoord is niet juist."
LOCKED_NL = "Inloggen is tijdelijk geblokkeerd"
THROTTLED_NL = "Te veel onjuiste codes achter elkaar."
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def sign_in_with_password(client, user, password=TEST_PASSWORD, **request_extra):
    return client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": password},
        **request_extra,
    )


def totp_code(device, steps_ahead=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_code(client, user):
    """Password and a real TOTP code: a fully verified session."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    sign_in_with_password(client, user)
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert response.status_code == 302, response.content.decode()
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Password -----------------------------------------------------------------------------------


def test_wrong_password_shows_a_dutch_message_and_starts_no_session(client):
    user = UserFactory()
    response = sign_in_with_password(client, user, password="niet-het-wachtwoord")
    assert response.status_code == 200
    assert WRONG_PASSWORD_NL in response.content.decode()
    assert not is_signed_in(client)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_right_password_starts_a_session(client):
    user = UserFactory()
    response = sign_in_with_password(client, user)
    assert response.status_code == 302
    assert is_signed_in(client)


# --- Lockout (django-axes) ----------------------------------------------------------------------


def fail(client, user, times, **request_extra):
    return [
        sign_in_with_password(client, user, password="fout", **request_extra).status_code
        for _ in range(times)
    ]


def test_the_fifth_failure_locks_the_username_from_that_address(client):
    user = UserFactory()
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, user, 4, REMOTE_ADDR="192.0.2.10") == [200] * 4
    response = sign_in_with_password(client, user, password="fout", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert LOCKED_NL in response.content.decode()
    # The right password does not help while locked.
    response = sign_in_with_password(client, user, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert LOCKED_NL in response.content.decode()
    assert not is_signed_in(client)


def test_a_lockout_does_not_reach_another_address_or_another_username(client):
    user = UserFactory()
    colleague = UserFactory()
    fail(client, user, 5, REMOTE_ADDR="192.0.2.10")
    assert sign_in_with_password(client, user, REMOTE_ADDR="192.0.2.10").status_code == 429

    assert sign_in_with_password(client, user, REMOTE_ADDR="192.0.2.99").status_code == 302
    assert is_signed_in(client)
    client.logout()
    assert sign_in_with_password(client, colleague, REMOTE_ADDR="192.0.2.10").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_locked(client, settings):
    settings.KOERS_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, user, 5, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}

    locked = sign_in_with_password(client, user, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    # A client cannot escape by putting another address in front: the proxy's entry counts.
    forged = sign_in_with_password(
        client, user, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5", **proxy
    )
    assert forged.status_code == 429
    # The same proxy, another client: not locked.
    other = sign_in_with_password(client, user, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client):
    user = UserFactory()
    for number in range(5):
        sign_in_with_password(
            client,
            user,
            password="fout",
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    response = sign_in_with_password(
        client, user, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.200"
    )
    assert response.status_code == 429


# --- Two-factor authentication ------------------------------------------------------------------


def test_a_user_without_a_device_is_sent_to_enrolment_after_the_password(client):
    user = MembershipFactory().user
    response = sign_in_with_password(client, user)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_enrol")
    response = client.get(reverse("accounts:otp_enrol"))
    html = response.content.decode()
    assert "Tweestapsverificatie instellen" in html
    assert "<svg" in html


def read_secret(response) -> bytes:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', response.content.decode())
    assert match, "the enrolment page shows the key"
    secret = match.group(1)
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def test_enrolment_confirms_with_a_real_code_and_hands_out_ten_backup_codes(client, time_machine):
    time_machine.move_to(START, tick=False)
    membership = MembershipFactory()
    user = membership.user
    sign_in_with_password(client, user)
    key = read_secret(client.get(reverse("accounts:otp_enrol")))

    wrong = client.post(reverse("accounts:otp_enrol"), {"token": "000000"})
    assert "Deze code is niet juist. Controleer of de tijd op uw telefoon goed staat." in (
        wrong.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Reloading the page keeps the same key: the app the user scanned stays valid.
    assert read_secret(client.get(reverse("accounts:otp_enrol"))) == key

    code = f"{TOTP(key).token():06d}"
    # Right after a wrong code django-otp waits a moment, and the page says so.
    throttled = client.post(reverse("accounts:otp_enrol"), {"token": code})
    assert THROTTLED_NL in throttled.content.decode()
    time_machine.shift(timedelta(seconds=2))
    response = client.post(reverse("accounts:otp_enrol"), {"token": code})
    assert response.status_code == 200
    assert "Uw back-upcodes" in response.content.decode()
    codes = response.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == (sorted(codes))
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.bin_key == key
    # The session is verified: the user reaches their work.
    assert client.get(reverse("clients:list")).status_code == 200


def test_a_backup_code_works_once(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = MembershipFactory().user
    TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    codes = backup_codes_renew(user=user)

    sign_in_with_password(client, user)
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("clients:list")).status_code == 200

    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, user)
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert "Deze code is niet juist of verlopen." in response.content.decode()
    assert client.get(reverse("clients:list"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    # Another backup code still works, once django-otp's pause after a wrong code is over.
    time_machine.shift(timedelta(seconds=2))
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[1]})
    assert response.status_code == 302


def test_app_codes_do_not_hold_up_the_backup_codes(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = MembershipFactory().user
    codes = backup_codes_renew(user=user)
    for _ in range(4):
        time_machine.shift(timedelta(seconds=31))  # a new app code each time
        sign_in_with_code(client, user)
        client.post(reverse("accounts:logout"))
    sign_in_with_password(client, user)
    # Typed as printed on paper, in capitals with a space.
    token = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(reverse("accounts:otp_verify"), {"token": token})
    assert response.status_code == 302


def test_wrong_codes_make_the_user_wait(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = MembershipFactory().user
    device = TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    sign_in_with_password(client, user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post(reverse("accounts:otp_verify"), {"token": wrong})
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert THROTTLED_NL in response.content.decode()
    time_machine.shift(timedelta(seconds=3))  # codes sent while it waits are not checked
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert response.status_code == 302


def test_a_user_with_a_device_is_sent_to_the_code_page(client):
    user = MembershipFactory().user
    TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    response = sign_in_with_password(client, user)
    response = client.get(response["Location"])
    assert response["Location"] == reverse("accounts:otp_verify")
    response = client.get(reverse("accounts:otp_verify"))
    assert "Voer uw verificatiecode in" in response.content.decode()
    # Before the second step the user acts in no role: no navigation, no role in the header.
    assert client.session[SESSION_MEMBERSHIP]
    assert response.context["acting_membership"] is None
    assert response.context["navigation"] == []
    # Enrolling a new device is not a way around the code.
    assert client.get(reverse("accounts:otp_enrol"))["Location"] == reverse("accounts:otp_verify")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/clienten/",
        "/clienten/1/",
        "/clienten/noodtoegang/",
        "/beheer/",
        "/privacy/",
        "/rol-kiezen/",
        "/bestaat-niet/",
    ],
)
def test_until_verified_every_page_redirects_to_the_code_page(client, path):
    membership = MembershipFactory(functional_admin=True)
    TOTPDevice.objects.create(user=membership.user, name="Telefoon", confirmed=True)
    sign_in_with_password(client, membership.user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    post = client.post(path, {})
    assert post.status_code == 302
    assert post["Location"] == reverse("accounts:otp_verify")


def test_after_the_code_the_user_continues_where_they_were_going(client):
    membership = MembershipFactory()
    device = TOTPDevice.objects.create(user=membership.user, name="Telefoon", confirmed=True)
    sign_in_with_password(client, membership.user)
    response = client.get("/clienten/?na=3")
    target = response["Location"]
    assert target == reverse("accounts:otp_verify") + "?next=%2Fclienten%2F%3Fna%3D3"
    response = client.post(target, {"token": totp_code(device)})
    assert response["Location"] == "/clienten/?na=3"


def test_the_code_page_does_not_redirect_to_another_site(client):
    membership = MembershipFactory()
    device = TOTPDevice.objects.create(user=membership.user, name="Telefoon", confirmed=True)
    sign_in_with_password(client, membership.user)
    response = client.post(
        reverse("accounts:otp_verify") + "?next=https://aanvaller.example/",
        {"token": totp_code(device)},
    )
    assert response["Location"] == reverse("core:home")


def test_without_required_two_factor_the_password_is_enough(client, settings):
    settings.KOERS_REQUIRE_2FA = False
    membership = MembershipFactory()
    response = sign_in_with_password(client, membership.user)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("caseload:home")
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=membership.user).exists()


# --- Idle timeout -------------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_limit_is_signed_out(signed_in, time_machine):
    time_machine.move_to(START, tick=False)
    idle = timedelta(minutes=settings.KOERS_SESSION_IDLE_MINUTES)
    client = signed_in(MembershipFactory())
    assert client.get(reverse("clients:list")).status_code == 200

    # Activity just inside the limit keeps the session alive, again and again.
    time_machine.shift(idle - timedelta(seconds=5))
    assert client.get(reverse("clients:list")).status_code == 200
    time_machine.shift(idle - timedelta(seconds=5))
    assert client.get(reverse("clients:list")).status_code == 200

    time_machine.shift(idle + timedelta(seconds=5))
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/clienten/"
    assert not is_signed_in(client)
    page = client.get(response["Location"])
    assert "U bent uitgelogd omdat u een tijd niet actief was." in page.content.decode()


def test_an_idle_htmx_request_sends_the_whole_page_to_sign_in(signed_in, time_machine):
    time_machine.move_to(START, tick=False)
    client = signed_in(MembershipFactory())
    time_machine.shift(timedelta(minutes=settings.KOERS_SESSION_IDLE_MINUTES, seconds=5))
    response = client.get(reverse("clients:list"), HTTP_HX_REQUEST="true")
    # Not a sign-in form swapped into a fragment of the page.
    assert response["HX-Redirect"] == reverse("accounts:login")
    assert not is_signed_in(client)


def session_writes(queries) -> int:
    return sum(
        1 for query in queries if re.match(r'\s*UPDATE\s+"?django_session"?', query["sql"], re.I)
    )


def test_an_active_session_writes_its_timestamp_at_most_once_a_minute(signed_in, time_machine):
    time_machine.move_to(START, tick=False)
    client = signed_in(MembershipFactory())
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            time_machine.shift(timedelta(seconds=11))
            assert client.get(reverse("clients:list")).status_code == 200
    assert session_writes(queries.captured_queries) == 0

    time_machine.shift(timedelta(seconds=10))  # 65 s since the last write
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("clients:list"))
        client.get(reverse("clients:list"))
    assert session_writes(queries.captured_queries) == 1


# --- Memberships --------------------------------------------------------------------------------


@pytest.fixture
def town():
    return MunicipalityFactory()


@pytest.fixture
def two_memberships(town):
    organisation = OrganisationFactory(municipalities=[town])
    regisseur = MembershipFactory(regisseur=True, organisation=organisation)
    klantmanager = MembershipFactory(
        klantmanager=True, organisation=organisation, user=regisseur.user
    )
    return regisseur, klantmanager


def test_a_user_with_one_membership_acts_in_it_without_choosing(client):
    membership = MembershipFactory()
    sign_in_with_code(client, membership.user)
    assert client.session[SESSION_MEMBERSHIP] == membership.pk
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("caseload:home")


def test_a_user_with_two_memberships_chooses_and_can_switch(client, two_memberships):
    regisseur, klantmanager = two_memberships
    sign_in_with_code(client, regisseur.user)
    assert SESSION_MEMBERSHIP not in client.session
    assert client.get(reverse("clients:list"))["Location"] == reverse("accounts:choose_membership")

    page = client.get(reverse("accounts:choose_membership"))
    assert "In welke rol werkt u nu?" in page.content.decode()
    response = client.post(reverse("accounts:choose_membership"), {"membership": regisseur.pk})
    assert response["Location"] == reverse("core:home")
    assert client.session[SESSION_MEMBERSHIP] == regisseur.pk
    page = client.get(reverse("clients:list"))
    assert page.context["acting_membership"] == regisseur

    client.post(reverse("accounts:choose_membership"), {"membership": klantmanager.pk})
    assert client.session[SESSION_MEMBERSHIP] == klantmanager.pk
    page = client.get(reverse("clients:list"))
    assert page.context["acting_membership"] == klantmanager
    assert "U werkt nu als" in page.content.decode()


def test_a_foreign_membership_is_refused(client, two_memberships):
    regisseur, _ = two_memberships
    stranger = MembershipFactory(organisation=regisseur.organisation, teamleider=True)
    sign_in_with_code(client, regisseur.user)
    client.post(reverse("accounts:choose_membership"), {"membership": regisseur.pk})

    response = client.post(reverse("accounts:choose_membership"), {"membership": stranger.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["membership"]
    assert client.session[SESSION_MEMBERSHIP] == regisseur.pk
    assert client.get(reverse("clients:list")).context["acting_membership"] == regisseur


def test_an_ended_membership_cannot_be_chosen(client, two_memberships):
    regisseur, klantmanager = two_memberships
    klantmanager.is_active = False
    klantmanager.save()
    sign_in_with_code(client, regisseur.user)
    # One current membership left: acted in without choosing.
    assert client.session[SESSION_MEMBERSHIP] == regisseur.pk
    response = client.post(reverse("accounts:choose_membership"), {"membership": klantmanager.pk})
    assert response.status_code == 200
    assert client.session[SESSION_MEMBERSHIP] == regisseur.pk


def test_the_audit_log_records_the_chosen_membership(client, two_memberships, town):
    regisseur, klantmanager = two_memberships
    person = ClientFactory(household=HouseholdFactory(municipality=town))
    sign_in_with_code(client, regisseur.user)

    client.post(reverse("accounts:choose_membership"), {"membership": regisseur.pk})
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 200
    row = AuditEvent.objects.filter(client_id=person.pk).latest("id")
    assert (row.membership_id, row.role) == (regisseur.pk, "regisseur")

    client.post(reverse("accounts:choose_membership"), {"membership": klantmanager.pk})
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 200
    row = AuditEvent.objects.filter(client_id=person.pk).latest("id")
    assert (row.membership_id, row.role) == (klantmanager.pk, "klantmanager")
    assert row.user_id == regisseur.user.pk


# --- Signing out --------------------------------------------------------------------------------


def test_signing_out_takes_a_post(signed_in):
    client = signed_in(MembershipFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_signed_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert not is_signed_in(client)
    assert client.get(reverse("clients:list"))["Location"].startswith(reverse("accounts:login"))
