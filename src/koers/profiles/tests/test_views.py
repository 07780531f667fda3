from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory
from koers.profiles.constants import LanguageSkill, LevelSource
from koers.profiles.models import (
    Certificate,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)

from .factories import (
    CertificateFactory,
    DirectionPreferenceFactory,
    EducationFactory,
    LanguageLevelFactory,
    WorkExperienceFactory,
    assigned_volunteer,
    client_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def klantmanager():
    return MembershipFactory(klantmanager=True)


def test_klantmanager_sees_the_profile_with_current_levels_and_history(signed_in, klantmanager):
    client = client_of(klantmanager)
    LanguageLevelFactory(client=client, level="A2", assessed_on=date(2025, 1, 10))
    LanguageLevelFactory(
        client=client, level="B1", source=LevelSource.EXAM, assessed_on=date(2025, 6, 1)
    )
    WorkExperienceFactory(client=client, occupation="Lasser")
    response = signed_in(klantmanager).get(reverse("profiles:client", args=[client.pk]))
    assert response.status_code == 200
    assert response.context["language_levels"][0]["current"].level == "B1"
    assert len(response.context["language_levels"][0]["history"]) == 2
    assert "Lasser" in response.content.decode()
    row = AuditEvent.objects.get(client_id=client.pk, action=Action.VIEW)
    assert row.sections == Section.BASIS | Section.PROFILE
    assert row.detail == "profiles:client"


def test_a_client_outside_the_scope_gives_404(signed_in, klantmanager):
    elsewhere = ClientFactory()
    browser = signed_in(klantmanager)
    assert browser.get(reverse("profiles:client", args=[elsewhere.pk])).status_code == 404
    url = reverse("profiles:entry_add", args=[elsewhere.pk, "opleiding"])
    assert browser.post(url, {"level": "mbo2"}).status_code == 404
    assert not Education.objects.exists()
    assert not AuditEvent.objects.filter(client_id=elsewhere.pk).exists()


def test_volunteer_who_sees_the_client_gets_404_on_the_profile(signed_in, klantmanager):
    client = client_of(klantmanager)
    volunteer = assigned_volunteer(client)
    browser = signed_in(volunteer)
    assert browser.get(reverse("profiles:client", args=[client.pk])).status_code == 404
    assert browser.get(reverse("profiles:language_level_add", args=[client.pk])).status_code == 404


def test_team_leader_does_not_open_the_profile(signed_in):
    leader = MembershipFactory(teamleider=True)
    client = client_of(leader)
    assert signed_in(leader).get(reverse("profiles:client", args=[client.pk])).status_code == 404


def test_an_unknown_profile_part_gives_404(signed_in, klantmanager):
    client = client_of(klantmanager)
    url = reverse("profiles:entry_add", args=[client.pk, "paspoort"])
    assert signed_in(klantmanager).get(url).status_code == 404


def test_adding_education_saves_it_and_audits_the_change(signed_in, klantmanager):
    client = client_of(klantmanager)
    url = reverse("profiles:entry_add", args=[client.pk, "opleiding"])
    response = signed_in(klantmanager).post(
        url,
        {
            "level": "mbo2",
            "country": "SY",
            "field": "Elektro",
            "completed": "on",
            "diploma_evaluated": "in_progress",
            "year": "2016",
        },
    )
    assert response.status_code == 302
    education = Education.objects.get(client=client)
    assert (education.level, education.completed) == ("mbo2", True)
    assert AuditEvent.objects.filter(
        client_id=client.pk, action=Action.CREATE, detail=f"profiles:education:{education.pk}"
    ).exists()


def test_bad_input_shows_a_dutch_message_next_to_the_field_and_saves_nothing(
    signed_in, klantmanager
):
    client = client_of(klantmanager)
    url = reverse("profiles:entry_add", args=[client.pk, "opleiding"])
    response = signed_in(klantmanager).post(
        url, {"level": "mbo2", "diploma_evaluated": "no", "year": "1800"}
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert "Zorg ervoor dat deze waarde minstens 1940 is." in response.content.decode()
    assert not Education.objects.exists()


def test_editing_another_clients_entry_gives_404(signed_in, klantmanager):
    client = client_of(klantmanager)
    other = client_of(klantmanager)
    education = EducationFactory(client=other)
    url = reverse("profiles:entry_edit", args=[client.pk, "opleiding", education.pk])
    assert signed_in(klantmanager).get(url).status_code == 404


def test_language_levels_can_only_be_added(signed_in, klantmanager):
    client = client_of(klantmanager)
    browser = signed_in(klantmanager)
    url = reverse("profiles:language_level_add", args=[client.pk])
    for level, source, day in (("A2", "intake", "2025-01-10"), ("B1", "exam", "2025-06-01")):
        response = browser.post(
            url,
            {"skill": LanguageSkill.SPEAKING, "level": level, "source": source, "assessed_on": day},
        )
        assert response.status_code == 302
    assert list(
        LanguageLevel.objects.filter(client=client)
        .order_by("assessed_on")
        .values_list("level", flat=True)
    ) == ["A2", "B1"]


def test_a_future_assessment_date_is_refused(signed_in, klantmanager):
    client = client_of(klantmanager)
    response = signed_in(klantmanager).post(
        reverse("profiles:language_level_add", args=[client.pk]),
        {"skill": "speaking", "level": "B1", "source": "exam", "assessed_on": "2999-01-01"},
    )
    assert response.status_code == 200
    assert "assessed_on" in response.context["form"].errors
    assert not LanguageLevel.objects.exists()


def _fill(client, rows):
    for index in range(rows):
        EducationFactory(client=client, year=2000 + index)
        WorkExperienceFactory(client=client, direction=None, occupation=f"Baan {index}")
        CertificateFactory(client=client)
        LanguageLevelFactory(client=client, assessed_on=date(2020, 1, 1 + index))
    for direction in ProfessionalDirection.objects.all()[:rows]:
        DirectionPreferenceFactory(client=client, direction=direction)


def test_profile_page_queries_do_not_grow_with_rows(signed_in, klantmanager):
    small, large = client_of(klantmanager), client_of(klantmanager)
    _fill(small, 1)
    _fill(large, 20)
    browser = signed_in(klantmanager)
    counts = []
    for client in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("profiles:client", args=[client.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_functional_admin_maintains_the_directions(signed_in):
    admin = MembershipFactory(functional_admin=True)
    browser = signed_in(admin)
    response = browser.get(reverse("profiles:directions"))
    assert response.status_code == 200
    assert "Techniek" in response.content.decode()
    assert browser.post(reverse("profiles:directions"), {"name": "Maritiem"}).status_code == 302
    maritiem = ProfessionalDirection.objects.get(name="Maritiem")
    response = browser.get(reverse("profiles:direction_edit", args=[maritiem.pk]))
    state = response.context["form"]["loaded_state"].initial
    response = browser.post(
        reverse("profiles:direction_edit", args=[maritiem.pk]),
        {"name": "Maritiem en offshore", "loaded_state": state},
    )
    assert response.status_code == 302
    maritiem.refresh_from_db()
    assert (maritiem.name, maritiem.active) == ("Maritiem en offshore", False)


def test_a_duplicate_direction_is_refused_with_a_message(signed_in):
    browser = signed_in(MembershipFactory(functional_admin=True))
    response = browser.post(reverse("profiles:directions"), {"name": "ICT"})
    assert response.status_code == 200
    assert "Deze richting staat al in de lijst." in response.content.decode()


def test_only_the_functional_admin_maintains_the_directions(signed_in, klantmanager):
    assert signed_in(klantmanager).get(reverse("profiles:directions")).status_code == 403


def test_availability_edit_over_someone_elses_change_is_refused(signed_in, klantmanager):
    client = client_of(klantmanager)
    browser = signed_in(klantmanager)
    url = reverse("profiles:availability", args=[client.pk])
    assert browser.post(url, {"hours_per_week": "24", "monday": "on"}).status_code == 302
    state = browser.get(url).context["form"]["loaded_state"].initial
    assert browser.post(url, {"hours_per_week": "32", "loaded_state": state}).status_code == 302
    response = browser.post(url, {"hours_per_week": "16", "loaded_state": state})
    assert response.status_code == 200
    assert response.context["stale"]
    assert "Iemand anders heeft dit intussen gewijzigd." in response.content.decode()
    assert client.availability.hours_per_week == 32


def test_a_direction_cannot_be_preferred_twice(signed_in, klantmanager):
    client = client_of(klantmanager)
    techniek = ProfessionalDirection.objects.get(name="Techniek")
    browser = signed_in(klantmanager)
    url = reverse("profiles:entry_add", args=[client.pk, "voorkeur"])
    assert browser.post(url, {"direction": techniek.pk, "priority": "1"}).status_code == 302
    response = browser.post(url, {"direction": techniek.pk, "priority": "2"})
    assert response.status_code == 200
    assert "Deze richting staat al bij de voorkeursrichtingen." in response.content.decode()
    preference = client.direction_preferences.get()
    remove = reverse("profiles:preference_remove", args=[client.pk, preference.pk])
    assert browser.post(remove).status_code == 302
    assert not client.direction_preferences.exists()
    assert AuditEvent.objects.filter(client_id=client.pk, action=Action.DELETE).exists()


def test_an_inactive_direction_is_no_longer_offered(signed_in, klantmanager):
    client = client_of(klantmanager)
    ProfessionalDirection.objects.filter(name="Textiel").update(active=False)
    response = signed_in(klantmanager).get(
        reverse("profiles:entry_add", args=[client.pk, "voorkeur"])
    )
    offered = {str(label) for _, label in response.context["form"].fields["direction"].choices}
    assert "Textiel" not in offered
    assert "Techniek" in offered


@pytest.mark.parametrize(
    ("kind", "factory_class", "model", "shown"),
    [
        ("opleiding", EducationFactory, Education, "Elektrotechniek"),
        ("werkervaring", WorkExperienceFactory, WorkExperience, "Elektricien"),
        ("certificaat", CertificateFactory, Certificate, "VCA"),
    ],
)
def test_an_entry_is_deleted_after_confirmation_and_audited(
    signed_in, klantmanager, kind, factory_class, model, shown
):
    client = client_of(klantmanager)
    entry = factory_class(client=client)
    browser = signed_in(klantmanager)
    profile = browser.get(reverse("profiles:client", args=[client.pk])).content.decode()
    url = reverse("profiles:entry_delete", args=[client.pk, kind, entry.pk])
    assert url in profile
    confirm = browser.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Ja, verwijderen" in body and shown in body
    assert model.objects.filter(pk=entry.pk).exists()  # asking is not deleting
    response = browser.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:client", args=[client.pk])
    after = browser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Verwijderd uit het profiel." in after
    assert not model.objects.filter(pk=entry.pk).exists()
    row = AuditEvent.objects.get(client_id=client.pk, action=Action.DELETE)
    assert row.sections == Section.PROFILE
    assert row.detail == f"profiles:{model._meta.model_name}:{entry.pk}"
    assert browser.post(url).status_code == 404  # already gone


def test_without_write_access_an_entry_cannot_be_deleted(signed_in, klantmanager):
    client = client_of(klantmanager)
    education = EducationFactory(client=client)
    url = reverse("profiles:entry_delete", args=[client.pk, "opleiding", education.pk])
    volunteer = signed_in(assigned_volunteer(client))
    assert volunteer.get(url).status_code == 404
    assert volunteer.post(url).status_code == 404
    elsewhere = signed_in(MembershipFactory(klantmanager=True))
    assert elsewhere.post(url).status_code == 404
    assert Education.objects.filter(pk=education.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_another_clients_entry_cannot_be_deleted_through_this_client(signed_in, klantmanager):
    client, other = client_of(klantmanager), client_of(klantmanager)
    work = WorkExperienceFactory(client=other)
    url = reverse("profiles:entry_delete", args=[client.pk, "werkervaring", work.pk])
    assert signed_in(klantmanager).post(url).status_code == 404
    assert WorkExperience.objects.filter(pk=work.pk).exists()


def test_language_levels_are_history_and_cannot_be_deleted(signed_in, klantmanager):
    client = client_of(klantmanager)
    level = LanguageLevelFactory(client=client)
    browser = signed_in(klantmanager)
    for kind in ("taalniveau", "voorkeur", "beschikbaarheid"):
        url = reverse("profiles:entry_delete", args=[client.pk, kind, level.pk])
        assert browser.post(url).status_code == 404
    assert LanguageLevel.objects.filter(pk=level.pk).exists()
    profile = browser.get(reverse("profiles:client", args=[client.pk])).content.decode()
    levels_card = profile.split('data-testid="language-levels"')[1].split("</section>")[0]
    assert "verwijderen" not in levels_card
