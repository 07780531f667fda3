import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory
from koers.instruments.models import InstrumentSetting, Measurement
from koers.profiles.tests.factories import LanguageLevelFactory

from .factories import (
    LADDER,
    PG,
    ZRM,
    assigned_volunteer,
    client_of,
    enable,
    instrument,
    klantmanager_beside,
    measure,
    regisseur,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def actor():
    return regisseur()


@pytest.fixture
def person(actor):
    return client_of(actor, given_names="Amal", family_name="Haddad")


def url(name, *args):
    return reverse(f"instruments:{name}", args=args)


def zrm_post(value=4, **overrides):
    data = {
        "measured_on": TODAY().isoformat(),
        "form_token": "6f1c1c1e-0000-4000-8000-000000000001",
    }
    from .factories import scores_for

    for code, score in scores_for(ZRM, value).items():
        data[f"score_{code}"] = str(score.value)
    data.update(overrides)
    return data


def read_event(person, detail):
    return AuditEvent.objects.get(client_id=person.pk, action=Action.VIEW, detail=detail)


# --- The overview ----------------------------------------------------------------------------


def test_overview_lists_the_instruments_with_first_and_latest(signed_in, actor, person):
    measure(
        actor,
        person,
        LADDER,
        on=TODAY() - timedelta(days=300),
        overrides={"trede": 2, "groeipotentieel": 4},
    )
    measure(actor, person, LADDER, overrides={"trede": 3, "groeipotentieel": 4})
    response = signed_in(actor).get(url("client", person.pk))
    assert response.status_code == 200
    page = response.text
    assert "Zelfredzaamheid-Matrix" in page and "Participatieladder" in page
    assert "Deelname aan georganiseerde activiteiten" in page
    assert "Positieve Gezondheid" not in page  # optional, not switched on
    assert url("record", person.pk, ZRM) in page
    event = read_event(person, "instruments:client")
    assert Section(event.sections) == Section.BASIS | Section.MEASUREMENTS


def test_overview_offers_positieve_gezondheid_where_switched_on(signed_in, actor, person):
    enable(PG, person.municipality)
    response = signed_in(actor).get(url("client", person.pk))
    assert "Positieve Gezondheid" in response.text
    assert url("record", person.pk, PG) in response.text


def test_overview_query_count_does_not_grow_with_measurements(signed_in, actor, person):
    browser = signed_in(actor)
    measure(actor, person, ZRM, 3)
    browser.get(url("client", person.pk))
    with CaptureQueriesContext(connection) as one:
        browser.get(url("client", person.pk))
    for days in range(1, 8):
        measure(actor, person, ZRM, 4, on=TODAY() - timedelta(days=days * 30))
        measure(actor, person, LADDER, on=TODAY() - timedelta(days=days * 30))
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url("client", person.pk))
    assert len(many) == len(one)
    assert response.text.count('data-label="Datum"') == 15  # every measurement is listed


# --- Access ----------------------------------------------------------------------------------


def test_volunteer_never_sees_measurements(signed_in, actor, person):
    measurement = measure(actor, person, ZRM, 3)
    browser = signed_in(assigned_volunteer(person))
    for address in (
        url("client", person.pk),
        url("progress", person.pk),
        url("detail", person.pk, measurement.pk),
        url("record", person.pk, ZRM),
        url("correct", person.pk, measurement.pk),
    ):
        assert browser.get(address).status_code == 404, address
    assert not AuditEvent.objects.filter(client_id=person.pk, action=Action.VIEW).exists()


def test_a_client_outside_the_scope_gives_404(signed_in, actor):
    elsewhere = ClientFactory()
    browser = signed_in(actor)
    assert browser.get(url("client", elsewhere.pk)).status_code == 404
    assert browser.post(url("record", elsewhere.pk, ZRM), zrm_post()).status_code == 404
    assert not Measurement.objects.exists()


def test_team_leader_does_not_open_measurements(signed_in):
    leader = MembershipFactory(teamleider=True)
    person = client_of(leader)
    assert signed_in(leader).get(url("client", person.pk)).status_code == 404


def test_klantmanager_sees_the_zrm_without_health_and_justice_domains(signed_in, actor, person):
    measurement = measure(
        actor, person, ZRM, 3, overrides={"geestelijke-gezondheid": 1, "justitie": 2}
    )
    klantmanager = klantmanager_beside(actor)
    browser = signed_in(klantmanager)
    detail = browser.get(url("detail", person.pk, measurement.pk))
    assert detail.status_code == 200
    assert "Financiën" in detail.text
    for hidden in (
        "Geestelijke gezondheid",
        "Lichamelijke gezondheid",
        "Middelengebruik",
        "Justitie",
        "Cognitieve capaciteiten",
    ):
        assert hidden not in detail.text
    assert 'data-testid="hidden-items"' in detail.text
    assert url("correct", person.pk, measurement.pk) not in detail.text
    event = read_event(person, "instruments:detail")
    assert Section(event.sections) == Section.BASIS | Section.MEASUREMENTS
    # The progress page, chart included, leaves them out as well.
    progress = browser.get(url("progress", person.pk))
    assert progress.status_code == 200
    for hidden in ("Geestelijke gezondheid", "Middelengebruik", "Justitie"):
        assert hidden not in progress.text
    assert "Financiën" in progress.text
    event = read_event(person, "instruments:progress")
    assert Section(event.sections) == Section.BASIS | Section.MEASUREMENTS | Section.PROFILE
    # Recording or correcting a ZRM needs health and justice: 404, as if it did not exist.
    assert browser.get(url("record", person.pk, ZRM)).status_code == 404
    assert browser.get(url("correct", person.pk, measurement.pk)).status_code == 404
    assert browser.get(url("record", person.pk, LADDER)).status_code == 200


def test_klantmanager_does_not_see_positieve_gezondheid(signed_in, actor, person):
    enable(PG, person.municipality)
    from .factories import scores_for

    measurement = measure(actor, person, PG, scores=scores_for(PG, 6))
    browser = signed_in(klantmanager_beside(actor))
    assert "Positieve Gezondheid" not in browser.get(url("client", person.pk)).text
    assert browser.get(url("detail", person.pk, measurement.pk)).status_code == 404
    assert "Positieve Gezondheid" not in browser.get(url("progress", person.pk)).text


# --- Recording and correcting -----------------------------------------------------------------


def test_regisseur_records_a_zrm_through_the_form(signed_in, actor, person):
    browser = signed_in(actor)
    form = browser.get(url("record", person.pk, ZRM))
    assert form.status_code == 200
    assert "Begin bij 5" in form.text or "Start at 5" in form.text
    response = browser.post(
        url("record", person.pk, ZRM), zrm_post(4, score_financien="2", note_financien="Schulden")
    )
    measurement = Measurement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", person.pk, measurement.pk)
    assert measurement.scores.get(item__code="financien").note == "Schulden"
    # A double submit (same form token) records nothing twice.
    browser.post(url("record", person.pk, ZRM), zrm_post(4))
    assert Measurement.objects.count() == 1


def test_a_missing_domain_is_shown_next_to_its_field(signed_in, actor, person):
    data = zrm_post(4)
    del data["score_justitie"]
    response = signed_in(actor).post(url("record", person.pk, ZRM), data)
    assert response.status_code == 200
    errors = re.findall(r'id="id_score_justitie_error"', response.text)
    assert errors
    assert not Measurement.objects.exists()


def test_a_future_date_is_refused_next_to_the_date(signed_in, actor, person):
    data = zrm_post(4, measured_on=(TODAY() + timedelta(days=2)).isoformat())
    response = signed_in(actor).post(url("record", person.pk, ZRM), data)
    assert 'id="id_measured_on_error"' in response.text
    assert not Measurement.objects.exists()


def test_the_ladder_form_asks_the_growth_potential(signed_in, actor, person):
    browser = signed_in(actor)
    page = browser.get(url("record", person.pk, LADDER)).text
    assert "Groeipotentieel" in page or "Growth potential" in page
    response = browser.post(
        url("record", person.pk, LADDER),
        {
            "measured_on": TODAY().isoformat(),
            "form_token": "6f1c1c1e-0000-4000-8000-000000000002",
            "score_trede": "4",
            "score_groeipotentieel": "3",
        },
    )
    assert 'id="id_score_groeipotentieel_error"' in response.text


def test_positieve_gezondheid_is_404_where_not_switched_on(signed_in, actor, person):
    assert signed_in(actor).get(url("record", person.pk, PG)).status_code == 404


def test_correction_keeps_the_old_measurement_in_the_history(signed_in, actor, person):
    old = measure(actor, person, ZRM, 3, on=TODAY() - timedelta(days=20))
    browser = signed_in(actor)
    form = browser.get(url("correct", person.pk, old.pk))
    assert form.status_code == 200
    assert 'value="3" checked' in form.text or "checked" in form.text
    data = zrm_post(
        3,
        score_financien="1",
        measured_on=old.measured_on.isoformat(),
        correction_reason="Financiën verkeerd",
        form_token="6f1c1c1e-0000-4000-8000-000000000003",
    )
    response = browser.post(url("correct", person.pk, old.pk), data)
    correction = Measurement.objects.get(corrects=old)
    assert response["Location"] == url("detail", person.pk, correction.pk)
    old_page = browser.get(url("detail", person.pk, old.pk)).text
    assert 'data-testid="corrected-alert"' in old_page and "Financiën verkeerd" in old_page
    history = browser.get(url("client", person.pk)).text
    assert history.count(url("detail", person.pk, old.pk)) == 1
    assert history.count(url("detail", person.pk, correction.pk)) == 1


def test_a_stale_correction_gets_the_conflict_page(signed_in, actor, person):
    old = measure(actor, person, ZRM, 3)
    browser = signed_in(actor)
    first = zrm_post(
        3,
        score_financien="2",
        correction_reason="Eerste",
        form_token="6f1c1c1e-0000-4000-8000-000000000004",
    )
    browser.post(url("correct", person.pk, old.pk), first)
    second = zrm_post(
        3,
        score_financien="5",
        correction_reason="Tweede",
        form_token="6f1c1c1e-0000-4000-8000-000000000005",
    )
    response = browser.post(url("correct", person.pk, old.pk), second)
    assert response.status_code == 409
    assert 'data-testid="conflict-table"' in response.text
    assert "5 Volledig zelfredzaam" in response.text and "2 Niet zelfredzaam" in response.text
    assert Measurement.objects.filter(corrects=old).count() == 1
    event = read_event(person, "instruments:conflict")
    assert Section(event.sections) == (
        Section.BASIS | Section.MEASUREMENTS | Section.HEALTH | Section.JUSTICE
    )


# --- Progress ---------------------------------------------------------------------------------


def test_progress_shows_chart_table_and_first_vs_latest(signed_in, actor, person):
    measure(actor, person, ZRM, 2, on=TODAY() - timedelta(days=200))
    measure(actor, person, ZRM, 4)
    measure(
        actor,
        person,
        LADDER,
        on=TODAY() - timedelta(days=200),
        overrides={"trede": 2, "groeipotentieel": 3},
    )
    measure(actor, person, LADDER, overrides={"trede": 4, "groeipotentieel": 5})
    LanguageLevelFactory(client=person, level="A2")
    response = signed_in(actor).get(url("progress", person.pk))
    assert response.status_code == 200
    page = response.text
    svgs = re.findall(r"<svg[^>]*>", page)
    assert len(svgs) == 2
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert "style=" not in page.split("<main", 1)[1]  # the CSP allows no inline styles
    assert 'data-testid="first-latest-financien"' in page
    assert "+2" in page
    assert 'data-testid="table-participatieladder"' in page
    assert 'data-testid="language-levels"' in page
    event = read_event(person, "instruments:progress")
    assert Section(event.sections) == (
        Section.BASIS | Section.MEASUREMENTS | Section.HEALTH | Section.JUSTICE | Section.PROFILE
    )


def test_progress_charts_are_rendered_once_and_then_served_from_the_cache(signed_in, actor, person):
    measure(actor, person, ZRM, 3)
    measure(actor, person, LADDER)
    browser = signed_in(actor)
    import vl_convert

    with mock.patch.object(
        vl_convert, "vegalite_to_svg", wraps=vl_convert.vegalite_to_svg
    ) as render:
        browser.get(url("progress", person.pk))
        assert render.call_count == 2
        browser.get(url("progress", person.pk))
        assert render.call_count == 2  # unchanged client: no rendering
        measure(actor, person, LADDER, overrides={"trede": 5, "groeipotentieel": 6})
        browser.get(url("progress", person.pk))
        assert render.call_count == 3  # only the changed instrument is drawn again


def test_progress_query_count_does_not_grow_with_measurements(signed_in, actor, person):
    enable(PG, person.municipality)
    from .factories import scores_for

    browser = signed_in(actor)
    measure(actor, person, ZRM, 3)
    measure(actor, person, LADDER)
    measure(actor, person, PG, scores=scores_for(PG, 5))
    browser.get(url("progress", person.pk))
    with CaptureQueriesContext(connection) as one:
        browser.get(url("progress", person.pk))
    for months in range(1, 15):
        on = TODAY() - timedelta(days=months * 31)
        measure(actor, person, ZRM, 1 + months % 5, on=on)
        measure(actor, person, LADDER, on=on)
        measure(actor, person, PG, on=on, scores=scores_for(PG, months % 11, on=on))
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url("progress", person.pk))
    assert len(many) == len(one)
    # At most the latest 12 measurements per instrument are charted and tabled.
    assert response.text.count('data-testid="row-financien"') == 1


# --- Settings ---------------------------------------------------------------------------------


def test_functional_admin_switches_positieve_gezondheid_on_and_off(signed_in):
    admin = MembershipFactory(functional_admin=True)
    town = admin.organisation.municipalities.get()
    browser = signed_in(admin)
    assert browser.get(url("settings")).status_code == 200
    data = {"municipality": town.pk, "instrument": PG, "enabled": "1"}
    assert browser.post(url("settings"), data).status_code == 302
    assert InstrumentSetting.objects.get(municipality=town, instrument=instrument(PG)).enabled
    browser.post(url("settings"), {**data, "enabled": "0"})
    assert not InstrumentSetting.objects.get(municipality=town).enabled
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE).count() == 2


def test_only_the_functional_admin_reaches_the_settings(signed_in, actor):
    assert signed_in(actor).get(url("settings")).status_code == 403
