"""Administration services: the change and its audit row in one transaction; stale edits refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.organisations import services
from koers.organisations.constants import LegalBasisKind, OrganisationKind
from koers.organisations.models import LegalBasis, Municipality, Organisation
from koers.organisations.selectors import BasisStatus, legal_basis_status
from koers.organisations.tests.factories import (
    AreaTeamFactory,
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(admin_membership):
    request = RequestFactory().post("/beheer/")
    request.user = admin_membership.user
    request.membership = admin_membership
    return request


def test_municipality_create_writes_the_row_and_one_audit_event(request_):
    town = services.municipality_create(
        request_, code="GM0202", name="Arnhem-test", volunteer_sections=Section.BASIS
    )
    event = AuditEvent.objects.get()
    assert event.action == Action.ADMIN_CHANGE
    assert event.detail == f"municipality:{town.pk} created"
    assert event.user_id == request_.user.pk
    assert event.membership_id == request_.membership.pk
    assert event.client_id is None


def test_municipality_with_sections_beyond_the_volunteer_maximum_is_refused(request_):
    with pytest.raises(ValidationError) as error:
        services.municipality_create(
            request_,
            code="GM0202",
            name="Arnhem-test",
            volunteer_sections=Section.BASIS | Section.HEALTH,
        )
    assert "volunteer_sections" in error.value.message_dict
    assert not Municipality.objects.filter(code="GM0202").exists()
    assert not AuditEvent.objects.exists()


def test_update_with_the_loaded_state_saves_and_audits(request_):
    town = MunicipalityFactory()
    state = services.state_token(town)
    services.municipality_update(
        request_,
        municipality=town,
        loaded_state=state,
        code=town.code,
        name="Nieuw",
        volunteer_sections=town.volunteer_sections,
    )
    town.refresh_from_db()
    assert town.name == "Nieuw"
    assert AuditEvent.objects.get().detail == f"municipality:{town.pk} changed"


def test_update_from_a_stale_state_changes_nothing_and_audits_nothing(request_):
    town = MunicipalityFactory(name="Oud")
    state = services.state_token(town)
    Municipality.objects.filter(pk=town.pk).update(name="Door iemand anders")
    with pytest.raises(services.StaleStateError):
        services.municipality_update(
            request_,
            municipality=town,
            loaded_state=state,
            code=town.code,
            name="Mijn naam",
            volunteer_sections=town.volunteer_sections,
        )
    town.refresh_from_db()
    assert town.name == "Door iemand anders"
    assert not AuditEvent.objects.exists()


def test_state_token_follows_every_editable_field_including_many_to_many():
    region = RegionFactory()
    region.municipalities.set([MunicipalityFactory()])
    before = services.state_token(region)
    assert services.state_token(region) == before
    region.municipalities.add(MunicipalityFactory())
    assert services.state_token(region) != before

    basis = LegalBasisFactory()
    before = services.state_token(basis)
    LegalBasis.objects.filter(pk=basis.pk).update(sections=Section.BASIS)
    basis.refresh_from_db()
    assert services.state_token(basis) != before


def test_region_and_area_team_create_and_update(request_):
    towns = [MunicipalityFactory(), MunicipalityFactory()]
    region = services.region_create(request_, name="Regio Rivierenland", municipalities=towns)
    assert set(region.municipalities.all()) == set(towns)
    team = services.area_team_create(request_, municipality=towns[0], name="Oost")
    services.area_team_update(
        request_, area_team=team, loaded_state=services.state_token(team), name="Oost-Zuid"
    )
    team.refresh_from_db()
    assert team.name == "Oost-Zuid"
    assert [e.detail for e in AuditEvent.objects.order_by("id")] == [
        f"region:{region.pk} created",
        f"area_team:{team.pk} created",
        f"area_team:{team.pk} changed",
    ]


def test_a_partner_serves_no_municipality_on_the_legal_task(request_):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            request_,
            name="Humanitas-test",
            kind=OrganisationKind.PARTNER,
            municipalities=[MunicipalityFactory()],
        )
    assert "municipalities" in error.value.message_dict
    assert not Organisation.objects.filter(name="Humanitas-test").exists()
    assert not AuditEvent.objects.exists()


def _organisation_update(request, organisation, **changes):
    """organisation_update with the organisation's current values (and no municipalities),
    overridden by `changes`."""
    values = {
        "name": organisation.name,
        "kind": organisation.kind,
        "municipalities": [],
        "is_active": organisation.is_active,
    }
    return services.organisation_update(
        request,
        organisation=organisation,
        loaded_state=services.state_token(organisation),
        **(values | changes),
    )


def test_a_partner_with_legal_bases_cannot_become_municipal(request_):
    basis = LegalBasisFactory()
    partner = basis.organisation
    with pytest.raises(ValidationError) as error:
        _organisation_update(request_, partner, kind=OrganisationKind.MUNICIPAL)
    assert "kind" in error.value.message_dict
    partner.refresh_from_db()
    assert partner.kind == OrganisationKind.PARTNER


def test_a_municipal_organisation_with_a_team_leader_cannot_become_a_partner(request_):
    leader = MembershipFactory(teamleider=True)
    organisation = leader.organisation
    with pytest.raises(ValidationError) as error:
        _organisation_update(request_, organisation, kind=OrganisationKind.PARTNER)
    assert "kind" in error.value.message_dict


def test_deactivating_an_organisation(request_):
    organisation = OrganisationFactory(partner=True)
    _organisation_update(request_, organisation, is_active=False)
    organisation.refresh_from_db()
    assert organisation.is_active is False


def _basis_values(**overrides):
    values = {
        "organisation": OrganisationFactory(partner=True),
        "municipality": MunicipalityFactory(),
        "kind": LegalBasisKind.PROCESSOR,
        "sections": Section.BASIS | Section.CONTACT | Section.IDENTITY,
        "agreement_reference": "VWN-1",
        "start_date": timezone.localdate(),
    }
    values.update(overrides)
    return values


def test_legal_basis_create_is_in_force_from_its_start(request_):
    basis = services.legal_basis_create(request_, **_basis_values())
    assert LegalBasis.objects.in_force().filter(pk=basis.pk).exists()
    assert legal_basis_status(basis) == BasisStatus.IN_FORCE
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} created"


@pytest.mark.parametrize("kind", [LegalBasisKind.COVENANT, LegalBasisKind.CONSENT])
def test_only_a_processor_basis_may_include_identity_numbers(request_, kind):
    with pytest.raises(ValidationError) as error:
        services.legal_basis_create(request_, **_basis_values(kind=kind))
    assert "sections" in error.value.message_dict
    assert not LegalBasis.objects.exists()
    assert not AuditEvent.objects.exists()


def test_ending_a_basis_sets_the_end_date_and_keeps_it(request_):
    basis = LegalBasisFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    services.legal_basis_end(
        request_, legal_basis=basis, loaded_state=services.state_token(basis), end_date=yesterday
    )
    basis.refresh_from_db()
    assert basis.end_date == yesterday
    assert legal_basis_status(basis) == BasisStatus.ENDED
    assert not LegalBasis.objects.in_force().filter(pk=basis.pk).exists()
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} ended"


def test_end_date_before_start_is_refused(request_):
    basis = LegalBasisFactory()
    with pytest.raises(ValidationError):
        services.legal_basis_end(
            request_,
            legal_basis=basis,
            loaded_state=services.state_token(basis),
            end_date=basis.start_date - timedelta(days=1),
        )
    basis.refresh_from_db()
    assert basis.end_date is None


def test_a_basis_that_was_in_force_is_never_deleted(request_):
    basis = LegalBasisFactory(end_date=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.legal_basis_delete(request_, legal_basis=basis)
    assert LegalBasis.objects.filter(pk=basis.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_basis_that_never_came_into_force_can_be_deleted(request_):
    basis = LegalBasisFactory(start_date=timezone.localdate() + timedelta(days=7))
    assert legal_basis_status(basis) == BasisStatus.NOT_YET
    services.legal_basis_delete(request_, legal_basis=basis)
    assert not LegalBasis.objects.filter(pk=basis.pk).exists()
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} deleted"


def test_area_team_name_must_be_unique_in_its_municipality(request_):
    team = AreaTeamFactory()
    with pytest.raises(ValidationError):
        services.area_team_create(request_, municipality=team.municipality, name=team.name)
    assert not AuditEvent.objects.exists()
