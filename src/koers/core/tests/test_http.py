"""HTTP hygiene: security headers on every page, request ids, health endpoints, JSON logs."""

import io
import json
import logging
import re
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from koers.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from koers.audit.models import AuditEvent
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


@pytest.fixture
def person(regisseur):
    town = regisseur.organisation.municipalities.get()
    return ClientFactory(
        household=HouseholdFactory(municipality=town), given_names="Amal", family_name="Haddad"
    )


def page_responses(client, signed_in, regisseur, person):
    """One response of each kind of page: anonymous, half signed in, at work, admin, 404, htmx."""
    responses = {"login": Client().get(reverse("accounts:login"))}

    half = Client()
    TOTPDevice.objects.create(user=regisseur.user, name="Telefoon", confirmed=True)
    half.post(
        reverse("accounts:login"),
        {"username": regisseur.user.username, "password": TEST_PASSWORD},
    )
    responses["otp_verify"] = half.get(reverse("accounts:otp_verify"))

    newcomer = Client()
    newcomer.post(
        reverse("accounts:login"),
        {"username": UserFactory().username, "password": TEST_PASSWORD},
    )
    responses["otp_enrol"] = newcomer.get(reverse("accounts:otp_enrol"))

    stranger = Client()
    for _ in range(5):
        locked = stranger.post(
            reverse("accounts:login"), {"username": "onbekend", "password": "fout"}
        )
    responses["locked_out"] = locked

    at_work = signed_in(regisseur)
    responses["client_list"] = at_work.get(reverse("clients:list"))
    responses["client_detail"] = at_work.get(reverse("clients:detail", args=[person.pk]))
    responses["choose_membership"] = at_work.get(reverse("accounts:choose_membership"))
    responses["not_found"] = at_work.get("/clienten/987654/")
    responses["partial"] = at_work.get(reverse("clients:list"), HTTP_HX_REQUEST="true")

    admin = sign_in(Client(), MembershipFactory(functional_admin=True))
    responses["beheer"] = admin.get(reverse("organisations:index"))
    return responses


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_page_carries_the_security_headers(client, signed_in, regisseur, person):
    responses = page_responses(client, signed_in, regisseur, person)
    expected_status = {"not_found": 404, "locked_out": 429}
    for name, response in responses.items():
        assert response.status_code == expected_status.get(name, 200), name

        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header, name
        assert "unsafe-eval" not in header, name
        directives = csp_directives(response)
        assert directives["default-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        if name != "partial":
            nonces = [v for v in directives["script-src"] if v.startswith("'nonce-")]
            assert len(nonces) == 1, name
            html = response.content.decode()
            scripts = re.findall(r"<script\b[^>]*>", html)
            assert scripts, name
            for tag in scripts:
                # Every script is a file, carrying this response's nonce: nothing inline.
                assert ' src="' in tag, (name, tag)
                assert f'nonce="{nonces[0][7:-1]}"' in tag, (name, tag)
            assert not re.search(r"\sstyle=", html), name

        assert "no-store" in response["Cache-Control"], name
        vary = [v.strip().lower() for v in response["Vary"].split(",")]
        assert "hx-request" in vary, name
        assert uuid.UUID(response["X-Request-ID"]), name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_each_response_gets_its_own_nonce_and_request_id(client):
    first = client.get(reverse("accounts:login"))
    second = client.get(reverse("accounts:login"))
    assert csp_directives(first)["script-src"] != csp_directives(second)["script-src"]
    assert first["X-Request-ID"] != second["X-Request-ID"]


# --- Request id ---------------------------------------------------------------------------------


def test_a_request_id_sent_by_the_client_is_ignored(client):
    sent = str(uuid.uuid4())
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_behind_a_trusted_proxy_its_request_id_is_kept(client, settings):
    settings.KOERS_TRUSTED_PROXY_COUNT = 1
    sent = str(uuid.uuid4())
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["-" * 36, "niet-een-uuid", "x" * 5000, ""])
def test_a_malformed_request_id_from_the_proxy_is_replaced(client, settings, sent):
    settings.KOERS_TRUSTED_PROXY_COUNT = 1
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=sent)
    assert response.status_code == 200
    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_the_audit_log_carries_the_request_id(signed_in, regisseur, person):
    response = signed_in(regisseur).get(reverse("clients:detail", args=[person.pk]))
    row = AuditEvent.objects.get(client_id=person.pk)
    assert str(row.request_id) == response["X-Request-ID"]


# --- Health -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_answer_unauthenticated_with_json_and_leave_no_trace(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert not Session.objects.exists()
    assert not AuditEvent.objects.exists()


def test_health_endpoints_answer_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301


def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch, log_lines):
    def unreachable():
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert client.get("/healthz").status_code == 200
    warning = next(line for line in log_lines() if line["logger"] == "koers.health")
    assert warning["exception"] == "OperationalError"
    assert "connection refused" not in json.dumps(warning)


def test_readyz_answers_503_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "migrations": "pending"}


# --- Logs ---------------------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """What the configured console handler writes, as parsed JSON lines."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    ]
    assert len(handlers) == 1
    handler = handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)

    def _lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    _lines.raw = stream.getvalue
    yield _lines
    handler.setStream(previous)


def test_log_lines_are_json_with_the_request_id_and_no_path(
    signed_in, regisseur, person, log_lines
):
    at_work = signed_in(regisseur)
    listed = at_work.get(reverse("clients:list"), {"zoek": "Haddad"})
    at_work.get(f"/clienten/{person.pk + 1000}/", {"bsn": "999999990"})
    at_work.get(reverse("clients:detail", args=[person.pk]))

    UserFactory(username="j.devries")
    csrf_checked = Client(enforce_csrf_checks=True)
    csrf_checked.post(reverse("accounts:login"), {"username": "j.devries", "password": "x"})
    anonymous = Client()
    failed = anonymous.post(
        reverse("accounts:login"), {"username": "j.devries", "password": "fout"}
    )

    lines = log_lines()
    assert lines
    requests = [line for line in lines if line["logger"] == "koers.request"]
    assert {line["route"] for line in requests} >= {"clients:list", "clients:detail"}
    line = next(line for line in requests if line["route"] == "clients:list")
    assert line["request_id"] == listed["X-Request-ID"]
    assert (line["method"], line["status"]) == ("GET", 200)
    for line in lines:
        assert uuid.UUID(line["request_id"])
    # Django's CSRF warning and django-axes' failure line are there, without their details.
    assert any(line["logger"] == "django.security.csrf" for line in lines)
    axes = [line for line in lines if line["logger"].startswith("axes")]
    assert axes
    assert axes[-1]["request_id"] == failed["X-Request-ID"]

    written = log_lines.raw()
    for secret in (
        "/clienten",
        "/inloggen",
        "zoek",
        "Haddad",
        "999999990",
        "bsn",
        "j.devries",
        "127.0.0.1",
    ):
        assert secret not in written, secret
