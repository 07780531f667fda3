from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import ClientAccess, client_access
from koers.organisations.services import StaleStateError
from koers.profiles.constants import CertificateKind, LevelSource
from koers.profiles.models import (
    Certificate,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)
from koers.profiles.services import (
    direction_create,
    direction_update,
    language_level_record,
    profile_entry_delete,
    profile_entry_save,
    profile_state,
)

from .factories import (
    CertificateFactory,
    EducationFactory,
    LanguageLevelFactory,
    ProfessionalDirectionFactory,
    WorkExperienceFactory,
    client_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    membership = MembershipFactory(klantmanager=True)
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    client = client_of(membership)
    return request, client, client_access(membership, client)


def test_the_migration_seeds_the_professional_directions():
    names = set(ProfessionalDirection.objects.values_list("name", flat=True))
    assert {"Techniek", "Zorg en welzijn", "ICT", "Transport/chauffeur", "Overig"} <= names
    assert ProfessionalDirection.objects.count() >= 25


def test_a_new_language_level_keeps_the_earlier_one(actor):
    request, client, access = actor
    first = language_level_record(
        request,
        client=client,
        access=access,
        recorded_by=request.membership,
        skill="speaking",
        level="A2",
        source=LevelSource.INTAKE,
        assessed_on=date(2025, 1, 1),
    )
    language_level_record(
        request,
        client=client,
        access=access,
        recorded_by=request.membership,
        skill="speaking",
        level="B1",
        source=LevelSource.EXAM,
        assessed_on=date(2025, 6, 1),
    )
    assert LanguageLevel.objects.filter(client=client).count() == 2
    first.refresh_from_db()
    assert first.level == "A2"
    assert (
        AuditEvent.objects.filter(
            client_id=client.pk, action=Action.CREATE, sections=Section.PROFILE
        ).count()
        == 2
    )


def test_a_language_level_is_never_updated():
    row = LanguageLevelFactory()
    row.level = "C2"
    with pytest.raises(ValueError):
        row.save()


def test_recording_the_same_assessment_twice_stores_it_once(actor):
    request, client, access = actor
    values = {
        "skill": "speaking",
        "level": "A2",
        "source": LevelSource.INTAKE,
        "assessed_on": date(2025, 1, 1),
    }
    for _ in range(2):
        language_level_record(
            request, client=client, access=access, recorded_by=request.membership, **values
        )
    assert LanguageLevel.objects.filter(client=client).count() == 1
    with pytest.raises(ValidationError) as error:
        language_level_record(
            request,
            client=client,
            access=access,
            recorded_by=request.membership,
            **{**values, "level": "B2"},
        )
    assert "assessed_on" in error.value.error_dict


def test_driving_licence_needs_a_category_and_other_needs_a_name(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        profile_entry_save(
            request,
            client=client,
            access=access,
            instance=Certificate(),
            values={"kind": CertificateKind.DRIVING_LICENCE},
        )
    assert "cat_b" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        profile_entry_save(
            request,
            client=client,
            access=access,
            instance=Certificate(),
            values={"kind": CertificateKind.OTHER, "name": " "},
        )
    assert "name" in error.value.error_dict
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()
    licence = profile_entry_save(
        request,
        client=client,
        access=access,
        instance=Certificate(),
        values={"kind": CertificateKind.DRIVING_LICENCE, "cat_b": True},
    )
    assert licence.licence_categories == ["B"]


def test_an_edit_over_someone_elses_change_is_refused(actor):
    request, client, access = actor
    education = EducationFactory(client=client, field="Bouwkunde")
    loaded = profile_state(education)
    profile_entry_save(
        request,
        client=client,
        access=access,
        instance=education,
        values={"field": "Werktuigbouw"},
        loaded_state=loaded,
    )
    with pytest.raises(StaleStateError):
        profile_entry_save(
            request,
            client=client,
            access=access,
            instance=education,
            values={"field": "Bouwkunde"},
            loaded_state=loaded,
        )
    education.refresh_from_db()
    assert education.field == "Werktuigbouw"


def test_writing_without_profile_write_access_is_refused(actor):
    request, client, _ = actor
    reader = client_access(MembershipFactory(teamleider=True), client)
    with pytest.raises(PermissionError):
        profile_entry_save(request, client=client, access=reader, instance=Certificate(), values={})


def test_a_direction_in_use_cannot_be_deleted_only_deactivated(actor):
    request, *_ = actor
    direction = ProfessionalDirectionFactory(name="Scheepsbouw")
    WorkExperienceFactory(direction=direction)
    with pytest.raises(ProtectedError):
        direction.delete()
    direction_update(
        request,
        direction=direction,
        name="Scheeps- en jachtbouw",
        active=False,
        loaded_state=profile_state(direction),
    )
    direction.refresh_from_db()
    assert (direction.name, direction.active) == ("Scheeps- en jachtbouw", False)
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE).exists()


def test_a_direction_name_is_unique_whatever_the_case(actor):
    request, *_ = actor
    with pytest.raises(ValidationError):
        direction_create(request, name="techniek")
    assert direction_create(request, name="Maritiem").active


def test_the_reseed_list_is_the_migrations_list():
    import importlib

    from koers.profiles.constants import SEED_DIRECTIONS

    migration = importlib.import_module("koers.profiles.migrations.0002_seed_directions")
    assert migration.DIRECTIONS == SEED_DIRECTIONS
    assert len(SEED_DIRECTIONS) == 25


def test_reseeding_adds_only_what_is_missing():
    from koers.profiles.services import directions_seed

    assert directions_seed() == 0
    ProfessionalDirection.objects.filter(name="Horeca").delete()
    assert directions_seed() == 1
    assert ProfessionalDirection.objects.filter(name="Horeca").count() == 1


@pytest.mark.parametrize(
    "factory_class", [EducationFactory, WorkExperienceFactory, CertificateFactory]
)
def test_deleting_an_entry_is_audited_as_a_profile_change(actor, factory_class):
    request, client, access = actor
    entry = factory_class(client=client)
    model, pk = type(entry), entry.pk
    profile_entry_delete(request, client=client, access=access, instance=entry)
    assert not model.objects.filter(pk=pk).exists()
    row = AuditEvent.objects.get(client_id=client.pk, action=Action.DELETE)
    assert row.sections == Section.PROFILE
    assert row.detail == f"profiles:{model._meta.model_name}:{pk}"


def test_deleting_without_profile_write_access_is_refused(actor):
    request, client, access = actor
    education = EducationFactory(client=client)
    read_only = ClientAccess(access.read, Section.none(), access.basis)
    with pytest.raises(PermissionError):
        profile_entry_delete(request, client=client, access=read_only, instance=education)
    assert Education.objects.filter(pk=education.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_another_clients_entry_or_a_language_level_cannot_be_deleted(actor):
    request, client, access = actor
    other = WorkExperienceFactory()
    with pytest.raises(PermissionError):
        profile_entry_delete(request, client=client, access=access, instance=other)
    level = LanguageLevelFactory(client=client)
    with pytest.raises(PermissionError):
        profile_entry_delete(request, client=client, access=access, instance=level)
    assert WorkExperience.objects.filter(pk=other.pk).exists()
    assert LanguageLevel.objects.filter(pk=level.pk).exists()


def test_a_delete_whose_audit_row_fails_deletes_nothing(actor):
    request, client, access = actor
    certificate = CertificateFactory(client=client)
    with (
        mock.patch("koers.profiles.services.audit_change", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        profile_entry_delete(request, client=client, access=access, instance=certificate)
    assert Certificate.objects.filter(pk=certificate.pk).exists()
