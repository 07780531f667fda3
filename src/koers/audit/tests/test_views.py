"""The privacy officer's pages, the CSV export, and the audit rows client pages write."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.constants import Role
from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.audit import views
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.audit.selectors import audit_log_queryset
from koers.audit.tests.factories import AuditEventFactory
from koers.clients.constants import Section
from koers.clients.models import BreakGlassAccess
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.organisations.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOG = reverse("audit:log")
EXPORT = reverse("audit:export")
BREAK_GLASS = reverse("audit:break_glass_list")


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lingewaard-test")


@pytest.fixture
def gemeente(town):
    return OrganisationFactory(name="Gemeente Lingewaard-test", municipalities=[town])


@pytest.fixture
def officer(gemeente):
    return MembershipFactory(privacy_officer=True, organisation=gemeente)


@pytest.fixture
def as_officer(signed_in, officer):
    return signed_in(officer)


def table_rows(response) -> list:
    return response.context["rows"]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- who may see the pages ---------------------------------------------------------------------
@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
@pytest.mark.parametrize("url", [LOG, EXPORT, BREAK_GLASS])
def test_only_the_privacy_officer_reaches_the_privacy_pages(role, url, signed_in, gemeente):
    membership = MembershipFactory(role=role, organisation=gemeente)
    assert signed_in(membership).get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


def test_the_log_cannot_be_changed_through_its_pages(as_officer):
    assert as_officer.post(LOG).status_code == 405
    assert as_officer.post(EXPORT).status_code == 405


# --- the log -----------------------------------------------------------------------------------
def test_log_shows_rows_newest_first_with_readable_labels_and_no_dossier_content(as_officer):
    now = timezone.now()
    older = AuditEventFactory(at=now - timedelta(hours=2), action=Action.LIST, client_id=41)
    newer = AuditEventFactory(
        at=now - timedelta(hours=1),
        client_id=42,
        username="r.jansen",
        organisation_name="Gemeente Lingewaard-test",
        role=Role.REGISSEUR,
        sections=Section.BASIS | Section.NETWORK,
        basis="break_glass",
    )
    response = as_officer.get(LOG)
    assert response.status_code == 200
    assert [row.id for row in table_rows(response)] == [newer.pk, older.pk]
    html = response.content.decode()
    for text in (
        "r.jansen",
        "Gemeente Lingewaard-test",
        "Regisseur",
        "Ingezien",
        "Noodtoegang",
        "Basisgegevens, Netwerk (wie doet wat)",
        str(newer.request_id or "–"),
        "42",
    ):
        assert text in html
    assert response["Cache-Control"].startswith("no-store")


def test_reading_the_log_writes_no_audit_row(as_officer):
    AuditEventFactory()
    as_officer.get(LOG)
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"client": "7"}, {"client7"}),
        ({"user": "A.DEVRIES"}, {"devries"}),
        ({"membership": "555"}, {"membership555"}),
        ({"action": "list"}, {"list"}),
        ({"basis": "verwerker"}, {"verwerker"}),
    ],
)
def test_log_filters(query, expected, as_officer):
    user = UserFactory(username="a.devries")
    rows = {
        "client7": AuditEventFactory(client_id=7),
        "devries": AuditEventFactory(user_id=user.pk, username=user.username),
        "membership555": AuditEventFactory(membership_id=555),
        "list": AuditEventFactory(action=Action.LIST),
        "verwerker": AuditEventFactory(basis="verwerker"),
    }
    response = as_officer.get(LOG, query)
    names = {name for name, row in rows.items() if row.pk in {r.id for r in table_rows(response)}}
    assert names == expected


def test_log_filters_on_organisation(as_officer, gemeente):
    other = OrganisationFactory(name="VluchtelingenWerk test", partner=True)
    mine = AuditEventFactory(organisation_id=gemeente.pk)
    AuditEventFactory(organisation_id=other.pk)
    response = as_officer.get(LOG, {"organisation": gemeente.pk})
    assert [row.id for row in table_rows(response)] == [mine.pk]


def test_period_is_inclusive_in_amsterdam_time(as_officer):
    def at(*args):
        return datetime(*args, tzinfo=AMSTERDAM)

    inside = [
        AuditEventFactory(at=at(2026, 3, 10, 0, 0, 0)),
        AuditEventFactory(at=at(2026, 3, 11, 23, 59, 59)),
        # 23:30 UTC on the 9th is 00:30 on the 10th in Amsterdam.
        AuditEventFactory(at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC)),
    ]
    AuditEventFactory(at=at(2026, 3, 9, 23, 59, 59))
    AuditEventFactory(at=at(2026, 3, 12, 0, 0, 0))
    response = as_officer.get(LOG, {"date_from": "2026-03-10", "date_to": "2026-03-11"})
    assert {row.id for row in table_rows(response)} == {row.pk for row in inside}


def test_end_before_start_is_refused_in_dutch(as_officer):
    AuditEventFactory()
    response = as_officer.get(LOG, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    html = response.content.decode()
    assert "De einddatum ligt vóór de begindatum." in html
    assert response.context["rows"] == []


def test_unknown_username_is_said_in_dutch(as_officer):
    response = as_officer.get(LOG, {"user": "niemand"})
    assert "Er is geen gebruiker met deze gebruikersnaam." in response.content.decode()


def test_log_pages_on_time_and_id_without_gaps_or_repeats(as_officer):
    same_moment = timezone.now() - timedelta(minutes=5)
    # Rows written in one request share their time: the id breaks the tie.
    AuditEvent.objects.bulk_create(
        [AuditEvent(at=same_moment, client_id=n, action=Action.LIST) for n in range(30)]
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(at=same_moment - timedelta(seconds=n), client_id=100 + n, action=Action.VIEW)
            for n in range(1, 31)
        ]
    )
    expected = list(AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True))
    seen, query = [], {}
    for _page in range(3):
        response = as_officer.get(LOG, query)
        seen += [row.id for row in table_rows(response)]
        if not response.context["has_next"]:
            break
        query = dict(pair.split("=") for pair in response.context["next_query"].split("&"))
    assert seen == expected
    assert len(expected) == 60


def test_log_page_keeps_the_filters_in_the_next_page_link(as_officer):
    AuditEvent.objects.bulk_create(
        [AuditEvent(client_id=9, action=Action.VIEW) for _ in range(60)]
        + [AuditEvent(client_id=8, action=Action.VIEW) for _ in range(5)]
    )
    first = as_officer.get(LOG, {"client": "9"})
    assert "client=9" in first.context["next_query"]
    second = as_officer.get(f"{LOG}?{first.context['next_query']}")
    assert {row.client_id for row in table_rows(second)} == {9}
    assert len(table_rows(second)) == 10


def test_htmx_request_returns_only_the_rows(as_officer):
    AuditEventFactory(client_id=77)
    response = as_officer.get(LOG, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1" not in html
    assert "77" in html


def test_the_log_page_never_counts_and_costs_the_same_with_1_and_20_rows(as_officer):
    def queries_for_page():
        with CaptureQueriesContext(connection) as queries:
            response = as_officer.get(LOG, {"date_from": "2020-01-01"})
        assert response.status_code == 200
        return [q["sql"] for q in queries.captured_queries]

    AuditEventFactory()
    one = queries_for_page()
    AuditEventFactory.create_batch(19)
    twenty = queries_for_page()
    assert len(one) == len(twenty)
    assert not any("COUNT(" in sql.upper() and "audit_auditevent" in sql for sql in twenty)


@pytest.mark.parametrize(
    "filters, index",
    [({"client": 5}, "audit_client_at"), ({"user_ids": [3]}, "audit_user_at")],
)
def test_client_and_user_filters_use_their_indexes(filters, index):
    AuditEventFactory.create_batch(3)
    queryset = audit_log_queryset(filters)[:51]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert index in plan


# --- the export ----------------------------------------------------------------------------------
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def test_export_streams_a_bom_csv_with_dutch_headers_and_the_filtered_rows(as_officer):
    at = datetime(2026, 5, 4, 14, 30, tzinfo=AMSTERDAM)
    row = AuditEventFactory(
        at=at,
        client_id=12,
        username="r.jansen",
        sections=Section.BASIS | Section.HEALTH,
        role=Role.REGISSEUR,
    )
    AuditEventFactory(at=at, client_id=13)
    AuditEventFactory(at=datetime(2025, 5, 4, tzinfo=AMSTERDAM), client_id=12)
    response = as_officer.get(EXPORT, {**PERIOD, "client": "12"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="auditlog-20260101-20261231.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Tijdstip",
        "Gebruiker",
        "Organisatie",
        "Lidmaatschapsnummer",
        "Rol",
        "Actie",
        "Grondslag",
        "Cliëntnummer",
        "Onderdelen",
        "Request-id",
        "Toelichting",
    ]
    assert rows == [
        [
            "2026-05-04 14:30:00",
            "r.jansen",
            "Gemeente Test",
            str(row.membership_id),
            "Regisseur",
            "Ingezien",
            "Wettelijke taak van de gemeente",
            "12",
            "Basisgegevens; Gezondheid",
            "",
            "",
        ]
    ]


def test_export_keeps_the_request_language_while_it_streams(as_officer):
    AuditEventFactory(at=datetime(2026, 5, 4, 14, 30, tzinfo=AMSTERDAM))
    response = as_officer.get(EXPORT, PERIOD)
    # Another request on this thread switches language before the body is streamed.
    with translation.override("en"):
        _header, row = csv_rows(response)
    assert row[5] == "Ingezien"


def test_export_escapes_cells_a_spreadsheet_would_run_as_formulas(as_officer):
    at = datetime(2026, 5, 4, 14, 30, tzinfo=AMSTERDAM)
    for name in ("=HYPERLINK(1)", "+31", "-1", "@SUM(A1)", "\tx", "\rx", "gewoon"):
        AuditEventFactory(at=at, username=name)
    _header, *rows = csv_rows(as_officer.get(EXPORT, PERIOD))
    assert sorted(row[1] for row in rows) == sorted(
        ["'=HYPERLINK(1)", "'+31", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "gewoon"]
    )


def test_export_is_logged_with_the_filters_but_not_the_people_filtered_on(as_officer, officer):
    user = UserFactory(username="a.devries")
    AuditEventFactory(
        at=datetime(2026, 2, 1, tzinfo=AMSTERDAM),
        client_id=4711,
        user_id=user.pk,
        username=user.username,
    )
    response = as_officer.get(
        EXPORT, {**PERIOD, "client": "4711", "user": "a.devries", "action": "view"}
    )
    _header, *rows = csv_rows(response)
    assert len(rows) == 1  # not its own export row
    event = AuditEvent.objects.get(action=Action.AUDIT_EXPORT)
    assert event.membership_id == officer.pk
    assert event.client_id == 4711
    assert "period=2026-01-01..2026-12-31" in event.detail
    assert "action=view" in event.detail
    assert "a.devries" not in event.detail
    assert "4711" not in event.detail


def test_export_refuses_a_period_longer_than_366_days(as_officer):
    response = as_officer.get(
        EXPORT, {"date_from": "2025-01-01", "date_to": "2026-01-02"}, follow=True
    )
    assert "Een export beslaat hoogstens 366 dagen." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).exists()


def test_export_of_exactly_366_days_is_allowed(as_officer):
    response = as_officer.get(EXPORT, {"date_from": "2024-01-01", "date_to": "2024-12-31"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).count() == 1


def test_export_needs_a_period(as_officer):
    response = as_officer.get(EXPORT, {"client": "5"}, follow=True)
    assert "Kies een periode (van en tot) om te exporteren" in response.content.decode()


def test_export_refuses_more_rows_than_the_limit(as_officer, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 2)
    at = datetime(2026, 5, 4, 14, 30, tzinfo=AMSTERDAM)
    AuditEventFactory.create_batch(3, at=at)
    response = as_officer.get(EXPORT, PERIOD, follow=True)
    assert "Deze selectie bevat meer dan 2 regels." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).exists()


def test_export_with_invalid_filters_goes_back_to_the_log_with_the_errors(as_officer):
    response = as_officer.get(
        EXPORT, {"date_from": "2026-03-10", "date_to": "2026-03-01"}, follow=True
    )
    html = response.content.decode()
    assert "De einddatum ligt vóór de begindatum." in html
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).exists()


# --- break-the-glass -----------------------------------------------------------------------------
@pytest.fixture
def grants(town, gemeente):
    regisseur = MembershipFactory(regisseur=True, organisation=gemeente)
    now = timezone.now()

    def grant(hours_ago, reviewed=False, municipality=town):
        client = ClientFactory(household=HouseholdFactory(municipality=municipality))
        return BreakGlassAccess.objects.create(
            membership=regisseur,
            client=client,
            reason=f"Reden {hours_ago}",
            created_at=now - timedelta(hours=hours_ago),
            expires_at=now - timedelta(hours=hours_ago) + timedelta(hours=8),
            reviewed_at=now if reviewed else None,
            reviewed_by=UserFactory() if reviewed else None,
            review_remark="Akkoord" if reviewed else "",
        )

    return {
        "new_reviewed": grant(1, reviewed=True),
        "old_open": grant(30),
        "new_open": grant(2),
        "elsewhere": grant(3, municipality=MunicipalityFactory()),
        "make": grant,
    }


def test_break_glass_list_shows_unreviewed_first_within_the_officers_municipalities(
    as_officer, grants
):
    response = as_officer.get(BREAK_GLASS)
    assert [g.pk for g in response.context["grants"]] == [
        grants["new_open"].pk,
        grants["old_open"].pk,
        grants["new_reviewed"].pk,
    ]
    html = response.content.decode()
    assert "Nog niet beoordeeld" in html
    assert str(grants["new_open"].client_id) in html
    assert grants["new_open"].client.family_name not in html


@pytest.mark.parametrize(
    "status, expected", [("open", ["new_open", "old_open"]), ("beoordeeld", ["new_reviewed"])]
)
def test_break_glass_list_filters_on_review_status(status, expected, as_officer, grants):
    response = as_officer.get(BREAK_GLASS, {"status": status})
    assert [g.pk for g in response.context["grants"]] == [grants[name].pk for name in expected]


def test_break_glass_list_pages_without_gaps(as_officer, grants, monkeypatch):
    for hours in range(4, 60):
        grants["make"](hours, reviewed=hours % 2 == 0)
    expected = [g.pk for g in as_officer.get(BREAK_GLASS, {"status": "open"}).context["grants"]]
    assert len(expected) == 25
    seen, query = [], {}
    while True:
        response = as_officer.get(BREAK_GLASS, query)
        seen += [g.pk for g in response.context["grants"]]
        if not response.context["has_next"]:
            break
        query = dict(pair.split("=") for pair in response.context["next_query"].split("&"))
    reviewed_flags = [BreakGlassAccess.objects.get(pk=pk).reviewed_at is not None for pk in seen]
    assert reviewed_flags == sorted(reviewed_flags)
    assert len(seen) == len(set(seen)) == 3 + 56


def test_break_glass_list_costs_the_same_with_1_and_20_entries(as_officer, town, gemeente):
    def count():
        with CaptureQueriesContext(connection) as queries:
            as_officer.get(BREAK_GLASS)
        return len(queries.captured_queries)

    regisseur = MembershipFactory(regisseur=True, organisation=gemeente)

    def make():
        BreakGlassAccess.objects.create(
            membership=MembershipFactory(regisseur=True, organisation=gemeente)
            if BreakGlassAccess.objects.exists()
            else regisseur,
            client=ClientFactory(household=HouseholdFactory(municipality=town)),
            reason="Reden",
            expires_at=timezone.now() + timedelta(hours=8),
        )

    make()
    one = count()
    for _ in range(19):
        make()
    assert count() == one


def test_break_glass_entry_of_another_municipality_is_not_found(as_officer, grants):
    url = reverse("audit:break_glass_detail", args=[grants["elsewhere"].pk])
    assert as_officer.get(url).status_code == 404


def test_break_glass_detail_shows_what_was_viewed_through_the_grant(as_officer, grants):
    grant = grants["new_open"]
    viewed = AuditEventFactory(
        client_id=grant.client_id,
        basis="break_glass",
        basis_id=grant.pk,
        at=grant.created_at + timedelta(minutes=5),
        sections=Section.BASIS | Section.NETWORK,
    )
    AuditEventFactory(
        client_id=grant.client_id, basis="legal_task", at=grant.created_at + timedelta(minutes=6)
    )
    AuditEventFactory(
        client_id=grant.client_id,
        basis="break_glass",
        basis_id=grant.pk + 1000,
        at=grant.created_at + timedelta(minutes=7),
    )
    response = as_officer.get(reverse("audit:break_glass_detail", args=[grant.pk]))
    assert [row.id for row in response.context["activity"]] == [viewed.pk]
    html = response.content.decode()
    assert "Basisgegevens, Netwerk (wie doet wat)" in html
    assert grant.reason in html


def test_officer_marks_an_entry_reviewed_with_a_remark(as_officer, grants, officer):
    grant = grants["new_open"]
    url = reverse("audit:break_glass_detail", args=[grant.pk])
    response = as_officer.post(url, {"remark": "Reden is voldoende onderbouwd."}, follow=True)
    assert "De noodtoegang is gemarkeerd als beoordeeld." in response.content.decode()
    grant.refresh_from_db()
    assert grant.reviewed_by == officer.user
    assert grant.review_remark == "Reden is voldoende onderbouwd."
    assert (
        AuditEvent.objects.filter(
            action=Action.BREAK_GLASS_REVIEW, client_id=grant.client_id
        ).count()
        == 1
    )


def test_review_without_remark_is_refused_in_dutch(as_officer, grants):
    grant = grants["new_open"]
    response = as_officer.post(
        reverse("audit:break_glass_detail", args=[grant.pk]), {"remark": "  "}
    )
    assert "Schrijf een opmerking bij uw beoordeling." in response.content.decode()
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_a_second_reviewer_is_told_the_entry_was_already_reviewed(signed_in, grants, gemeente):
    grant = grants["new_reviewed"]
    second = signed_in(MembershipFactory(privacy_officer=True, organisation=gemeente))
    response = second.post(
        reverse("audit:break_glass_detail", args=[grant.pk]),
        {"remark": "Ook bekeken."},
        follow=True,
    )
    assert "Deze noodtoegang is al beoordeeld door" in response.content.decode()
    grant.refresh_from_db()
    assert grant.review_remark == "Akkoord"
    assert not AuditEvent.objects.filter(action=Action.BREAK_GLASS_REVIEW).exists()


# --- what client pages write to the log ----------------------------------------------------------
@pytest.fixture
def regisseur(gemeente):
    return MembershipFactory(regisseur=True, organisation=gemeente)


def audit_inserts(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if 'INSERT INTO "audit_auditevent"' in q["sql"]
    ]


def test_client_list_of_20_writes_one_row_per_client_in_one_insert(signed_in, regisseur, town):
    clients = [ClientFactory(household=HouseholdFactory(municipality=town)) for _ in range(20)]
    browser = signed_in(regisseur)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("clients:list"))
    assert response.status_code == 200
    assert len(audit_inserts(queries)) == 1
    rows = AuditEvent.objects.all()
    assert sorted(row.client_id for row in rows) == sorted(c.pk for c in clients)
    assert {(row.action, row.sections, row.membership_id, row.basis) for row in rows} == {
        (Action.LIST, Section.BASIS, regisseur.pk, "legal_task")
    }
    assert len({row.request_id for row in rows}) == 1
    assert str(rows[0].request_id) == response["X-Request-ID"]


def test_client_list_query_count_is_the_same_for_1_and_20_clients(signed_in, regisseur, town):
    browser = signed_in(regisseur)

    def count():
        with CaptureQueriesContext(connection) as queries:
            browser.get(reverse("clients:list"))
        return len(queries.captured_queries), len(audit_inserts(queries))

    ClientFactory(household=HouseholdFactory(municipality=town))
    one = count()
    for _ in range(19):
        ClientFactory(household=HouseholdFactory(municipality=town))
    assert count() == one
    assert one[1] == 1


def test_client_detail_writes_one_row_with_the_sections_shown(signed_in, regisseur, town):
    client = ClientFactory(household=HouseholdFactory(municipality=town))
    response = signed_in(regisseur).get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 200
    row = AuditEvent.objects.get()
    assert (row.client_id, row.action, row.basis, row.basis_id) == (
        client.pk,
        Action.VIEW,
        "legal_task",
        None,
    )
    # The dossier's first screen for a regisseur: every card it shows, the masked BSN included.
    first_screen = (
        Section.BASIS
        | Section.NETWORK
        | Section.CONTACT
        | Section.HOUSEHOLD
        | Section.LANGUAGES
        | Section.PROFILE
        | Section.IDENTITY
        | Section.INBURGERING
        | Section.ASYLUM  # the reunification status on the household card
        | Section.PLAN  # the plan card
        | Section.MEASUREMENTS  # the deadline radar read the latest measurement's date
    )
    assert row.sections == first_screen
    assert (row.user_id, row.membership_id, row.organisation_id, row.role) == (
        regisseur.user_id,
        regisseur.pk,
        regisseur.organisation_id,
        Role.REGISSEUR,
    )


def test_break_glass_read_is_logged_on_the_grant(signed_in, regisseur, gemeente):
    elsewhere = MunicipalityFactory()
    gemeente.municipalities.add(elsewhere)
    regisseur.municipalities.add(gemeente.municipalities.exclude(pk=elsewhere.pk).get())
    client = ClientFactory(household=HouseholdFactory(municipality=elsewhere))
    browser = signed_in(regisseur)
    response = browser.post(
        reverse("clients:break_glass"),
        {
            "client_number": client.pk,
            "reason": "Collega ziek en de termijn verloopt vandaag.",
        },
        follow=True,
    )
    assert response.status_code == 200
    grant = BreakGlassAccess.objects.get()
    read = AuditEvent.objects.get(action=Action.VIEW)
    assert (read.client_id, read.basis, read.basis_id) == (client.pk, "break_glass", grant.pk)
    assert AuditEvent.objects.filter(action=Action.BREAK_GLASS, client_id=client.pk).count() == 1


def test_a_client_page_that_is_not_found_writes_nothing(signed_in, regisseur):
    other = ClientFactory()
    response = signed_in(regisseur).get(reverse("clients:detail", args=[other.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()
