"""The dossier's trajectory cards: a second request the first screen loads with htmx."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.clients.tests.test_views import volunteer_for
from koers.inburgering.models import InburgeringDuty

CARDS = (
    "measurements-card",
    "pip-card",
    "inburgering-trajectory-card",
    "work-card",
    "checklist-card",
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client_of(membership):
    town = membership.organisation.municipalities.get()
    return ClientFactory(household=HouseholdFactory(municipality=town))


@pytest.mark.django_db
def test_the_first_screen_loads_the_trajectory_cards_with_htmx(signed_in):
    regisseur = MembershipFactory(regisseur=True)
    person = _client_of(regisseur)
    response = signed_in(regisseur).get(reverse("clients:detail", args=[person.pk]))
    url = reverse("clients:trajectory", args=[person.pk])
    assert f'hx-get="{url}"' in response.text
    # Without JavaScript the placeholder is a link to the same cards as a page.
    assert f'href="{url}"' in response.text


@pytest.mark.django_db
def test_a_regisseur_sees_every_trajectory_card_and_the_read_is_audited(signed_in):
    regisseur = MembershipFactory(regisseur=True)
    person = _client_of(regisseur)
    InburgeringDuty.objects.create(client=person, start_signal_on=timezone.localdate())
    url = reverse("clients:trajectory", args=[person.pk])

    fragment = signed_in(regisseur).get(url, **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    for card in CARDS:
        assert f'data-testid="{card}"' in fragment.text, card
    row = AuditEvent.objects.get(detail="clients:trajectory")
    assert row.action == Action.VIEW and row.client_id == person.pk
    sections = Section(row.sections)
    for section in (Section.MEASUREMENTS, Section.INBURGERING, Section.WORK_INCOME, Section.PLAN):
        assert section in sections

    page = signed_in(regisseur).get(url)
    assert "<html" in page.text and person.full_name in page.text


@pytest.mark.django_db
def test_a_volunteer_gets_no_trajectory_card_but_their_own_tasks(signed_in):
    """The volunteer sections of product.md: no measurements, PIP, inburgering or work."""
    person = ClientFactory()
    volunteer = volunteer_for(person)
    response = signed_in(volunteer).get(reverse("clients:trajectory", args=[person.pk]), **HTMX)
    assert response.status_code == 200
    for card in CARDS[:4]:
        assert f'data-testid="{card}"' not in response.text, card
    assert 'data-testid="checklist-card"' in response.text
    row = AuditEvent.objects.get(detail="clients:trajectory")
    assert not Section(row.sections) & (
        Section.MEASUREMENTS | Section.INBURGERING | Section.WORK_INCOME | Section.HEALTH
    )


@pytest.mark.django_db
def test_another_municipalitys_regisseur_gets_not_found(signed_in):
    person = _client_of(MembershipFactory(regisseur=True))
    outsider = MembershipFactory(regisseur=True)
    response = signed_in(outsider).get(reverse("clients:trajectory", args=[person.pk]), **HTMX)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(client_id=person.pk).exists()


@pytest.mark.django_db
def test_a_team_leader_opens_no_trajectory(signed_in):
    regisseur = MembershipFactory(regisseur=True)
    person = _client_of(regisseur)
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    response = signed_in(teamleider).get(reverse("clients:trajectory", args=[person.pk]))
    assert response.status_code == 404


@pytest.mark.browser
def test_the_dossier_shows_the_trajectory_cards_after_the_first_screen(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    person = _client_of(regisseur)
    InburgeringDuty.objects.create(client=person, start_signal_on=timezone.localdate())
    sign_in_browser(page, regisseur)
    page.goto(reverse("clients:detail", args=[person.pk]))
    expect(page.get_by_test_id("inburgering-trajectory-card")).to_be_visible()
    expect(page.get_by_test_id("measurements-card")).to_be_visible()
    expect(page.get_by_test_id("work-card")).to_be_visible()
    expect(page.get_by_test_id("trajectory-pending")).to_have_count(0)
    assert_accessible(page)
