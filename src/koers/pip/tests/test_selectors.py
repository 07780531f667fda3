import datetime

import pytest

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.permissions import client_access
from koers.pip.selectors import pip_card
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
