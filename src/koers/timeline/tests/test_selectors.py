from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.clients.permissions import client_access
from koers.clients.tests.factories import HouseholdFactory
from koers.timeline import selectors
from koers.timeline.constants import Confidentiality, ContactKind

from .factories import ContactMomentFactory, NoteFactory

pytestmark = pytest.mark.django_db


def test_contact_summary_is_one_query_for_50_households(world):
    households = [HouseholdFactory(municipality=world.town) for _ in range(50)]
    now = timezone.now()
    for household in households:
        ContactMomentFactory(household=household, author=world.regisseur)
        ContactMomentFactory(household=household, author=world.regisseur, planned=True)
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.contact_summary([h.pk for h in households], now=now)
    assert len(queries) == 1
    assert len(summary) == 50
    row = summary[households[0].pk]
    assert row["last_contact"] < now < row["next_appointment"]


def test_upcoming_appointments_only_of_visible_households_and_bounded(world):
    mine = ContactMomentFactory(household=world.household, author=world.regisseur, planned=True)
    ContactMomentFactory(author=world.elsewhere, planned=True)  # another municipality
    ContactMomentFactory(
        household=world.household,
        author=world.regisseur,
        planned=True,
        starts_at=timezone.now() + timedelta(days=30),
    )
    assert selectors.upcoming_appointments(world.regisseur) == [mine]
    assert selectors.upcoming_appointments(world.elsewhere) == []
    assert len(selectors.upcoming_appointments(world.regisseur, limit=0)) == 0


def test_timeline_merges_newest_first_and_pages_by_keyset(world):
    now = timezone.now()
    for day in range(6):
        ContactMomentFactory(
            household=world.household,
            author=world.regisseur,
            starts_at=now - timedelta(days=2 * day),
        )
        NoteFactory(
            household=world.household,
            author=world.regisseur,
            created_at=now - timedelta(days=2 * day + 1),
        )
    access = client_access(world.regisseur, world.client)
    seen, cursor = [], None
    while True:
        page, cursor = selectors.timeline_page(
            world.regisseur, access, world.household.pk, cursor=cursor, size=5
        )
        seen.extend(page)
        if not cursor:
            break
    moments = [entry.at for entry in seen]
    assert len(seen) == 12
    assert moments == sorted(moments, reverse=True)
    assert len({(e.kind, e.obj.pk) for e in seen}) == 12


def test_timeline_filters_by_kind_and_organisation(world):
    ContactMomentFactory(household=world.household, author=world.regisseur, kind=ContactKind.PHONE)
    ContactMomentFactory(household=world.household, author=world.regisseur)
    NoteFactory(
        household=world.household,
        author=world.begeleider,
        confidentiality=Confidentiality.PROFESSIONALS,
    )
    access = client_access(world.regisseur, world.client)
    page, _ = selectors.timeline_page(
        world.regisseur, access, world.household.pk, kinds=[ContactKind.PHONE]
    )
    assert [e.obj.kind for e in page] == [ContactKind.PHONE]
    page, _ = selectors.timeline_page(
        world.regisseur, access, world.household.pk, organisation_id=world.vwn.pk
    )
    assert [e.kind for e in page] == ["note"]
    page, _ = selectors.timeline_page(
        world.regisseur, access, world.household.pk, kinds=[selectors.NOTE_FILTER]
    )
    assert [e.kind for e in page] == ["note"]


def test_begeleider_sees_only_the_occurrence_of_an_own_organisation_contact(world):
    ContactMomentFactory(household=world.household, author=world.regisseur)
    access = client_access(world.begeleider, world.client)
    page, _ = selectors.timeline_page(world.begeleider, access, world.household.pk)
    assert len(page) == 1
    assert page[0].full is False
