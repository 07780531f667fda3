import datetime

import pytest

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.permissions import client_access
from koers.clients.tests.factories import ClientFactory
from koers.pip.selectors import pip_card, pip_dates
from koers.profiles.tests.factories import assigned_volunteer

from .factories import DecisionFactory, IntakeFactory, LbtFactory, client_of

pytestmark = pytest.mark.django_db

D = datetime.date


def _history(client):
    first = DecisionFactory(client=client, final=True, dagtekening=D(2025, 3, 1))
    second = DecisionFactory(
        client=client, final=True, dagtekening=D(2025, 9, 1), supersedes=first, reason="wijziging"
    )
    draft = DecisionFactory(client=client, reason="wijziging")
    return first, second, draft


def test_pip_dates_gives_the_first_dagtekening_and_the_latest_decision():
    with_history, with_draft_only, without = ClientFactory(), ClientFactory(), ClientFactory()
    _first, _second, draft = _history(with_history)
    only = DecisionFactory(client=with_draft_only)
    dates = pip_dates([with_history.pk, with_draft_only.pk, without.pk])
    assert dates[with_history.pk] == (D(2025, 3, 1), draft)
    assert dates[with_history.pk].first_pip_dagtekening == D(2025, 3, 1)
    assert dates[with_draft_only.pk] == (None, only)
    assert without.pk not in dates
    assert pip_dates([]) == {}


@pytest.mark.parametrize("size", [1, 10, 50])
def test_pip_dates_is_one_query_for_any_number_of_clients(django_assert_num_queries, size):
    clients = [ClientFactory() for _ in range(size)]
    for client in clients:
        _history(client)
    with django_assert_num_queries(1):
        dates = pip_dates(c.pk for c in clients)
        # The fields the radar reads are loaded with it.
        for first, latest in dates.values():
            assert first and latest.status and latest.learning_route and latest.created_at


def test_pip_card_shows_intake_test_and_decision_in_force(django_assert_max_num_queries):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur)
    IntakeFactory(client=client, completed=True)
    LbtFactory(client=client, feasible=True)
    _first, second, draft = _history(client)
    access = client_access(regisseur, client)
    with django_assert_max_num_queries(4):
        card = pip_card(access, client)
    assert card["pip_visible"] is True
    assert card["pip_decision"] == second
    assert card["pip_draft"] == draft
    assert card["pip_lbt"].outcome == "haalbaar"


def test_pip_card_is_empty_without_the_inburgering_section():
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur)
    volunteer = assigned_volunteer(client)
    assert pip_card(client_access(volunteer, client), client) == {"pip_visible": False}


def test_dossier_card_template_renders_the_card_and_nothing_without_access():
    from django.template.loader import render_to_string

    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur)
    DecisionFactory(client=client, final=True, dagtekening=D(2025, 3, 1), level="B1")
    html = render_to_string(
        "pip/_dossier_card.html", pip_card(client_access(regisseur, client), client)
    )
    assert 'data-testid="pip-card"' in html
    assert "(B1)" in html
    assert f"/pip/{client.pk}/" in html
    volunteer = assigned_volunteer(client)
    empty = render_to_string(
        "pip/_dossier_card.html", pip_card(client_access(volunteer, client), client)
    )
    assert empty.strip() == ""
