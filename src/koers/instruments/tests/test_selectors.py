from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.clients.permissions import client_access
from koers.instruments.selectors import (
    dossier_summary,
    latest_measurement_dates,
    measurement_overdue,
    months_before,
)

from .factories import (
    LADDER,
    PG,
    ZRM,
    assigned_volunteer,
    client_of,
    enable,
    klantmanager_beside,
    measure,
    regisseur,
    scores_for,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2026, 3, 15), 6, date(2025, 9, 15)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2026, 1, 1), 12, date(2025, 1, 1)),
    ],
)
def test_months_before_stays_on_the_calendar(day, months, expected):
    assert months_before(day, months) == expected


def test_radar_rule_measurement_older_than_6_months_is_overdue():
    today = date(2026, 8, 31)
    assert measurement_overdue(date(2026, 2, 27), today)
    assert not measurement_overdue(date(2026, 2, 28), today)
    assert not measurement_overdue(None, today)  # never measured is its own signal


def test_dossier_summary_gives_rung_latest_zrm_and_overdue_flag():
    actor = regisseur()
    person = client_of(actor)
    measure(actor, person, ZRM, 3, on=TODAY() - timedelta(days=250))
    measure(
        actor,
        person,
        LADDER,
        on=TODAY() - timedelta(days=220),
        overrides={"trede": 3, "groeipotentieel": 5},
    )
    with CaptureQueriesContext(connection) as queries:
        card = dossier_summary(actor, person, client_access(actor, person))
    assert len(queries) <= 3 + 6  # the access check's own queries included
    assert card["ladder"]["rung"] == 3
    assert card["ladder"]["rung_label"] == "Deelname aan georganiseerde activiteiten"
    assert card["ladder"]["potential_label"] == "Betaald werk met ondersteuning"
    assert card["latest_zrm_on"] == TODAY() - timedelta(days=250)
    assert card["latest_on"] == TODAY() - timedelta(days=220)
    assert card["overdue"] and not card["never_measured"]
    html = render_to_string(
        "instruments/_dossier_card.html", {"measurements_card": card, "client": person}
    )
    assert 'data-testid="current-rung"' in html and 'data-testid="measurement-overdue"' in html


def test_dossier_summary_with_a_recent_measurement_is_not_overdue():
    actor = regisseur()
    person = client_of(actor)
    measure(actor, person, LADDER)
    card = dossier_summary(actor, person, client_access(actor, person))
    assert not card["overdue"] and card["latest_zrm_on"] is None


def test_dossier_summary_of_a_client_never_measured():
    actor = regisseur()
    person = client_of(actor)
    card = dossier_summary(actor, person, client_access(actor, person))
    assert card["never_measured"] and card["ladder"] is None and card["instruments"] == []
    html = render_to_string(
        "instruments/_dossier_card.html", {"measurements_card": card, "client": person}
    )
    assert 'data-testid="never-measured"' in html


def test_dossier_summary_is_none_for_a_volunteer():
    actor = regisseur()
    person = client_of(actor)
    measure(actor, person, LADDER)
    volunteer = assigned_volunteer(person)
    assert dossier_summary(volunteer, person, client_access(volunteer, person)) is None


def test_dossier_summary_leaves_positieve_gezondheid_out_for_a_klantmanager():
    actor = regisseur()
    person = client_of(actor)
    enable(PG, person.municipality)
    measure(actor, person, PG, scores=scores_for(PG, 6))
    klantmanager = klantmanager_beside(actor)
    card = dossier_summary(klantmanager, person, client_access(klantmanager, person))
    assert card["instruments"] == [] and card["never_measured"]
    own = dossier_summary(actor, person, client_access(actor, person))
    assert [i["name"] for i in own["instruments"]] == ["Positieve Gezondheid"]
    assert own["never_measured"]  # the health module does not count for the radar's rule


def test_latest_measurement_dates_in_one_query_however_many_clients():
    actor = regisseur()
    people = [client_of(actor) for _ in range(6)]
    for index, person in enumerate(people[:5]):
        measure(actor, person, ZRM, 3, on=TODAY() - timedelta(days=300 + index))
        measure(actor, person, LADDER, on=TODAY() - timedelta(days=10 * index))
    enable(PG, people[5].municipality)
    measure(actor, people[5], PG, scores=scores_for(PG, 4))
    with CaptureQueriesContext(connection) as one:
        latest_measurement_dates([people[0].pk])
    with CaptureQueriesContext(connection) as many:
        dates = latest_measurement_dates([p.pk for p in people])
    assert len(one) == len(many) == 1
    assert dates == {p.pk: TODAY() - timedelta(days=10 * i) for i, p in enumerate(people[:5])}
    assert latest_measurement_dates([people[5].pk], instrument_codes=[PG]) == {
        people[5].pk: TODAY()
    }
