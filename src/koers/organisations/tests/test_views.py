"""The functional administrator's pages: who may open them, what they save, what they refuse."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.constants import Role
from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, Section
from koers.organisations.constants import LegalBasisKind, OrganisationKind
from koers.organisations.models import AreaTeam, LegalBasis, Municipality, Organisation, Region
from koers.organisations.tests.factories import (
    AreaTeamFactory,
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    town = MunicipalityFactory(name="Zandvoort-test")
    partner = OrganisationFactory(name="VluchtelingenWerk Test", partner=True)
    return {
        "municipality": town,
        "region": _region(town),
        "area_team": AreaTeamFactory(municipality=town),
        "organisation": partner,
        "legal_basis": LegalBasisFactory(organisation=partner, municipality=town),
    }


def _region(town):
    region = RegionFactory()
    region.municipalities.set([town])
    return region


def admin_urls(objects) -> list[str]:
    basis = objects["legal_basis"]
    future = LegalBasisFactory(
        organisation=basis.organisation,
        municipality=basis.municipality,
        start_date=timezone.localdate() + timedelta(days=30),
    )
    return [
        reverse("organisations:index"),
        reverse("organisations:municipality_list"),
        reverse("organisations:municipality_create"),
        reverse("organisations:municipality_edit", args=[objects["municipality"].pk]),
        reverse("organisations:region_list"),
        reverse("organisations:region_create"),
        reverse("organisations:region_edit", args=[objects["region"].pk]),
        reverse("organisations:area_team_list"),
        reverse("organisations:area_team_create"),
        reverse("organisations:area_team_edit", args=[objects["area_team"].pk]),
        reverse("organisations:organisation_list"),
        reverse("organisations:organisation_create"),
        reverse("organisations:organisation_edit", args=[objects["organisation"].pk]),
        reverse("organisations:legal_basis_list"),
        reverse("organisations:legal_basis_create"),
        reverse("organisations:legal_basis_detail", args=[basis.pk]),
        reverse("organisations:legal_basis_edit", args=[basis.pk]),
        reverse("organisations:legal_basis_end", args=[basis.pk]),
        reverse("organisations:legal_basis_delete", args=[future.pk]),
    ]


def test_every_page_renders_for_the_functional_admin_with_breadcrumbs(admin, objects):
    for url in admin_urls(objects):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert response.context["breadcrumbs"][0]["label"] == "Beheer", url
        assert 'aria-label="Kruimelpad"' in response.content.decode() or (
            "utrecht-breadcrumb-nav" in response.content.decode()
        ), url


@pytest.mark.parametrize("role", [role for role in Role if role != Role.FUNCTIONAL_ADMIN])
def test_every_other_role_gets_403(role, signed_in, objects):
    organisation = None
    if role in {Role.BEGELEIDER, Role.COORDINATOR, Role.VRIJWILLIGER}:
        organisation = OrganisationFactory(partner=True)
    membership = MembershipFactory(
        role=role, **({"organisation": organisation} if organisation else {})
    )
    client = signed_in(membership)
    for url in admin_urls(objects):
        assert client.get(url).status_code == 403, url
    post = client.post(
        reverse("organisations:municipality_create"), {"code": "GM0001", "name": "Nergens"}
    )
    assert post.status_code == 403
    assert not Municipality.objects.filter(code="GM0001").exists()


def test_index_lists_the_areas_with_counts(admin, objects):
    response = admin.get(reverse("organisations:index"))
    areas = {area["label"]: area["count"] for area in response.context["areas"]}
    assert areas == {
        "Gemeenten": Municipality.objects.count(),
        "Regio's": 1,
        "Gebiedsteams": 1,
        "Organisaties": Organisation.objects.count(),
        "Grondslagen": 1,  # in force
        "Gebruikers": 1,  # active
        "Checklists eerste fase": 1,  # the default template shipped with Koers
        "Briefsjablonen PIP": 2,  # one per municipality
        "Optionele instrumenten": 2,
    }
    assert Municipality.objects.count() == 2  # the admin's own and the test town
    assert reverse("accounts:user_list") in response.content.decode()


# --- Municipalities --------------------------------------------------------------------------


def test_admin_creates_a_municipality_with_volunteer_sections(admin):
    response = admin.post(
        reverse("organisations:municipality_create"),
        {"code": "GM0344", "name": "Utrecht-test", "volunteer_sections": ["BASIS", "CONTACT"]},
    )
    assert response.status_code == 302
    town = Municipality.objects.get(code="GM0344")
    assert town.volunteer_sections == Section.BASIS | Section.CONTACT
    event = AuditEvent.objects.get(action=Action.ADMIN_CHANGE)
    assert event.detail == f"municipality:{town.pk} created"
    assert event.role == Role.FUNCTIONAL_ADMIN


def test_new_municipality_form_offers_only_the_volunteer_maximum_checked(admin):
    response = admin.get(reverse("organisations:municipality_create"))
    field = response.context["form"]["volunteer_sections"]
    assert [name for name, _label in field.field.choices] == [
        member.name for member in VOLUNTEER_MAX_SECTIONS.members()
    ]
    html = response.content.decode()
    assert 'value="HEALTH"' not in html
    assert html.count('name="volunteer_sections"') == len(VOLUNTEER_MAX_SECTIONS.members())


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"code": "0344", "name": "Utrecht-test"},
            "code",
            "Gebruik de CBS-code: GM gevolgd door 4 cijfers.",
        ),
        (
            {"code": "GM0344", "name": "Utrecht-test", "volunteer_sections": ["HEALTH"]},
            "volunteer_sections",
            "Selecteer een geldige keuze. HEALTH is geen beschikbare keuze.",
        ),
    ],
)
def test_bad_municipality_input_shows_the_dutch_message_and_saves_nothing(
    admin, data, field, message
):
    response = admin.post(reverse("organisations:municipality_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not Municipality.objects.filter(name="Utrecht-test").exists()
    assert not AuditEvent.objects.exists()


def _edit_data(response) -> dict:
    """The edit form's values as a browser would send them back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = (
                field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
            )
    return {key: value for key, value in data.items() if value is not None}


def test_admin_edits_a_municipality(admin, objects):
    town = objects["municipality"]
    url = reverse("organisations:municipality_edit", args=[town.pk])
    data = _edit_data(admin.get(url))
    data["name"] = "Zandvoort aan Zee"
    assert admin.post(url, data).status_code == 302
    town.refresh_from_db()
    assert town.name == "Zandvoort aan Zee"
    assert AuditEvent.objects.get().detail == f"municipality:{town.pk} changed"


def test_two_edits_from_the_same_state_the_second_is_refused_and_nothing_overwritten(
    admin, objects
):
    town = objects["municipality"]
    url = reverse("organisations:municipality_edit", args=[town.pk])
    first = _edit_data(admin.get(url))
    second = _edit_data(admin.get(url))
    assert first["loaded_state"] == second["loaded_state"]

    first["name"] = "Eerste naam"
    assert admin.post(url, first).status_code == 302

    second["name"] = "Tweede naam"
    response = admin.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd." in html
    assert "Er is niets opgeslagen en niets overschreven." in html
    town.refresh_from_db()
    assert town.name == "Eerste naam"
    # The form now shows what is stored, with the new state: saving again is possible.
    assert response.context["form"]["name"].value() == "Eerste naam"
    assert AuditEvent.objects.count() == 1


# --- Regions and area teams ------------------------------------------------------------------


def test_admin_creates_and_edits_a_region(admin):
    towns = [MunicipalityFactory(), MunicipalityFactory(), MunicipalityFactory()]
    response = admin.post(
        reverse("organisations:region_create"),
        {"name": "Regio Test", "municipalities": [str(town.pk) for town in towns[:2]]},
    )
    assert response.status_code == 302
    region = Region.objects.get(name="Regio Test")
    assert set(region.municipalities.all()) == set(towns[:2])

    url = reverse("organisations:region_edit", args=[region.pk])
    data = _edit_data(admin.get(url))
    data["municipalities"] = [str(town.pk) for town in towns]
    assert admin.post(url, data).status_code == 302
    assert region.municipalities.count() == 3
    assert [event.detail for event in AuditEvent.objects.order_by("id")] == [
        f"region:{region.pk} created",
        f"region:{region.pk} changed",
    ]


def test_region_needs_a_municipality(admin):
    response = admin.post(reverse("organisations:region_create"), {"name": "Leeg"})
    assert "Dit veld is verplicht." in response.context["form"].errors["municipalities"]
    assert not Region.objects.exists()


def test_region_edit_from_a_stale_state_is_refused(admin):
    region = _region(MunicipalityFactory())
    other = MunicipalityFactory()
    url = reverse("organisations:region_edit", args=[region.pk])
    stale = _edit_data(admin.get(url))
    region.municipalities.add(other)  # someone else adds a municipality meanwhile
    stale["name"] = "Andere naam"
    response = admin.post(url, stale)
    assert response.status_code == 409
    region.refresh_from_db()
    assert region.name != "Andere naam"
    assert region.municipalities.count() == 2


def test_admin_adds_an_area_team_to_a_municipality(admin, objects):
    town = objects["municipality"]
    create_url = reverse("organisations:area_team_create") + f"?municipality={town.pk}"
    assert admin.get(create_url).context["form"]["municipality"].value() == str(town.pk)
    response = admin.post(create_url, {"municipality": town.pk, "name": "Centrum"})
    assert response.status_code == 302
    team = AreaTeam.objects.get(name="Centrum")
    assert team.municipality == town
    listing = admin.get(reverse("organisations:area_team_list"), {"municipality": town.pk})
    assert "Centrum" in listing.content.decode()


def test_area_team_names_are_unique_within_a_municipality(admin, objects):
    team = objects["area_team"]
    response = admin.post(
        reverse("organisations:area_team_create"),
        {"municipality": team.municipality_id, "name": team.name},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert AreaTeam.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_area_team_list_filters_by_municipality(admin):
    mine = AreaTeamFactory(name="Noord-team")
    AreaTeamFactory(name="Zuid-team")
    html = admin.get(
        reverse("organisations:area_team_list"), {"municipality": mine.municipality_id}
    ).content.decode()
    assert "Noord-team" in html
    assert "Zuid-team" not in html


# --- Organisations ---------------------------------------------------------------------------


def test_admin_creates_a_municipal_organisation_serving_municipalities(admin, objects):
    town = objects["municipality"]
    response = admin.post(
        reverse("organisations:organisation_create"),
        {
            "name": "Gemeente Zandvoort",
            "kind": OrganisationKind.MUNICIPAL,
            "municipalities": [town.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Gemeente Zandvoort")
    assert list(organisation.municipalities.all()) == [town]
    assert AuditEvent.objects.get().detail == f"organisation:{organisation.pk} created"


def test_partner_organisation_with_municipalities_is_refused_in_dutch(admin, objects):
    response = admin.post(
        reverse("organisations:organisation_create"),
        {
            "name": "Humanitas Test",
            "kind": OrganisationKind.PARTNER,
            "municipalities": [objects["municipality"].pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Een partnerorganisatie" in " ".join(response.context["form"].errors["municipalities"])
    assert not Organisation.objects.filter(name="Humanitas Test").exists()
    assert not AuditEvent.objects.exists()


def test_organisation_page_shows_its_legal_bases_with_status(admin, objects):
    partner = objects["organisation"]
    LegalBasisFactory(
        organisation=partner,
        municipality=objects["municipality"],
        start_date=timezone.localdate() - timedelta(days=400),
        end_date=timezone.localdate() - timedelta(days=1),
        agreement_reference="OUD-001",
    )
    html = admin.get(reverse("organisations:organisation_edit", args=[partner.pk])).content.decode()
    assert objects["legal_basis"].agreement_reference in html
    assert "OUD-001" in html
    assert "Van kracht" in html
    assert "Beëindigd" in html
    listing = admin.get(reverse("organisations:organisation_list")).content.decode()
    assert "Zandvoort-test" in listing


# --- Legal bases -----------------------------------------------------------------------------


def _basis_data(objects, **overrides) -> dict:
    data = {
        "organisation": objects["organisation"].pk,
        "municipality": objects["municipality"].pk,
        "kind": LegalBasisKind.PROCESSOR,
        "sections": ["BASIS", "CONTACT", "LANGUAGES"],
        "agreement_reference": "VWN-2025-014",
        "start_date": timezone.localdate().isoformat(),
        "end_date": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_admin_records_a_legal_basis_with_three_sections(admin, objects):
    response = admin.post(reverse("organisations:legal_basis_create"), _basis_data(objects))
    basis = LegalBasis.objects.get(agreement_reference="VWN-2025-014")
    assert response.status_code == 302
    assert response.url == reverse("organisations:legal_basis_detail", args=[basis.pk])
    assert basis.sections == Section.BASIS | Section.CONTACT | Section.LANGUAGES
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} created"
    detail = admin.get(response.url).content.decode()
    assert "Van kracht" in detail
    assert "Talen" in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"kind": LegalBasisKind.COVENANT, "sections": ["BASIS", "IDENTITY"]},
            "sections",
            "identiteitsnummers",
        ),
        ({"kind": LegalBasisKind.CONSENT, "sections": ["IDENTITY"]}, "sections", "BSN"),
        ({"sections": []}, "sections", "Kies minstens één onderdeel."),
        (
            {"end_date": "2020-01-01", "start_date": "2021-01-01"},
            "end_date",
            "De einddatum kan niet voor de startdatum liggen.",
        ),
        ({"agreement_reference": ""}, "agreement_reference", "Dit veld is verplicht."),
    ],
)
def test_bad_legal_basis_shows_the_dutch_message_next_to_the_field_and_saves_nothing(
    admin, objects, overrides, field, message
):
    before = LegalBasis.objects.count()
    response = admin.post(
        reverse("organisations:legal_basis_create"), _basis_data(objects, **overrides)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert LegalBasis.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_a_municipal_organisation_cannot_get_a_legal_basis(admin, objects):
    municipal = OrganisationFactory(name="Gemeente X")
    response = admin.post(
        reverse("organisations:legal_basis_create"), _basis_data(objects, organisation=municipal.pk)
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not LegalBasis.objects.filter(organisation=municipal).exists()


def test_edit_a_legal_basis_and_refuse_a_stale_second_edit(admin, objects):
    basis = objects["legal_basis"]
    url = reverse("organisations:legal_basis_edit", args=[basis.pk])
    first = _edit_data(admin.get(url))
    second = _edit_data(admin.get(url))
    assert "organisation" not in first  # the parties are fixed once recorded
    first["sections"] = ["BASIS"]
    assert admin.post(url, first).status_code == 302
    second["note"] = "Aangepast"
    response = admin.post(url, second)
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd." in response.content.decode()
    basis.refresh_from_db()
    assert basis.sections == Section.BASIS
    assert basis.note == ""


def test_ending_a_legal_basis_sets_its_end_date(admin, objects):
    basis = objects["legal_basis"]
    url = reverse("organisations:legal_basis_end", args=[basis.pk])
    data = _edit_data(admin.get(url))
    yesterday = timezone.localdate() - timedelta(days=1)
    data["end_date"] = yesterday.isoformat()
    assert admin.post(url, data).status_code == 302
    basis.refresh_from_db()
    assert basis.end_date == yesterday
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} ended"
    assert (
        "Beëindigd"
        in admin.get(reverse("organisations:legal_basis_detail", args=[basis.pk])).content.decode()
    )


def test_ending_from_a_stale_state_is_refused(admin, objects):
    basis = objects["legal_basis"]
    url = reverse("organisations:legal_basis_end", args=[basis.pk])
    data = _edit_data(admin.get(url))
    LegalBasis.objects.filter(pk=basis.pk).update(note="Intussen gewijzigd")
    response = admin.post(url, data)
    assert response.status_code == 409
    basis.refresh_from_db()
    assert basis.end_date is None


def test_a_basis_that_was_in_force_cannot_be_deleted(admin, objects):
    basis = objects["legal_basis"]
    response = admin.post(reverse("organisations:legal_basis_delete", args=[basis.pk]))
    assert response.status_code == 409
    assert "kan niet worden verwijderd" in response.content.decode()
    assert LegalBasis.objects.filter(pk=basis.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_basis_not_yet_in_force_can_be_deleted(admin, objects):
    basis = LegalBasisFactory(
        organisation=objects["organisation"],
        municipality=objects["municipality"],
        start_date=timezone.localdate() + timedelta(days=10),
    )
    detail = admin.get(reverse("organisations:legal_basis_detail", args=[basis.pk]))
    assert "Nog niet van kracht" in detail.content.decode()
    response = admin.post(reverse("organisations:legal_basis_delete", args=[basis.pk]))
    assert response.status_code == 302
    assert not LegalBasis.objects.filter(pk=basis.pk).exists()
    assert AuditEvent.objects.get().detail == f"legal_basis:{basis.pk} deleted"


def test_legal_basis_list_filters_by_organisation_and_municipality(admin, objects):
    other_org = OrganisationFactory(name="Humanitas Test", partner=True)
    other_town = MunicipalityFactory(name="Bloemendaal-test")
    LegalBasisFactory(organisation=other_org, municipality=other_town, agreement_reference="HUM-1")
    LegalBasisFactory(
        organisation=objects["organisation"], municipality=other_town, agreement_reference="VWN-2"
    )
    url = reverse("organisations:legal_basis_list")
    all_refs = {b.agreement_reference for b in admin.get(url).context["page"]}
    assert all_refs == {objects["legal_basis"].agreement_reference, "HUM-1", "VWN-2"}
    by_org = admin.get(url, {"organisation": other_org.pk}).context["page"]
    assert [b.agreement_reference for b in by_org] == ["HUM-1"]
    by_town = admin.get(url, {"municipality": objects["municipality"].pk}).context["page"]
    assert [b.agreement_reference for b in by_town] == [objects["legal_basis"].agreement_reference]
    both = admin.get(
        url, {"organisation": objects["organisation"].pk, "municipality": other_town.pk}
    ).context["page"]
    assert [b.agreement_reference for b in both] == ["VWN-2"]


# --- Bounded lists with a fixed number of queries --------------------------------------------


def _make_rows(kind: str, count: int):
    for _ in range(count):
        if kind == "municipality_list":
            AreaTeamFactory()
        elif kind == "region_list":
            _region(MunicipalityFactory())
        elif kind == "area_team_list":
            AreaTeamFactory()
        elif kind == "organisation_list":
            partner = OrganisationFactory(partner=True)
            LegalBasisFactory(organisation=partner)
            OrganisationFactory()
        elif kind == "legal_basis_list":
            LegalBasisFactory()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "municipality_list",
        "region_list",
        "area_team_list",
        "organisation_list",
        "legal_basis_list",
        "index",
    ],
)
def test_lists_cost_the_same_queries_with_1_and_20_rows(admin, name):
    url = reverse(f"organisations:{name}")
    _make_rows(name, 1)
    one = _queries(admin, url)
    _make_rows(name, 19)
    assert _queries(admin, url) == one


def test_lists_are_paginated_at_100(admin):
    for number in range(101):
        MunicipalityFactory(code=f"GM{number + 1000:04d}", name=f"Plaats {number:03d}")
    url = reverse("organisations:municipality_list")
    first = admin.get(url)
    assert len(first.context["page"].object_list) == 100
    assert "Volgende pagina" in first.content.decode()
    second = admin.get(url, {"page": 2})
    shown = [m.name for m in second.context["page"]]
    assert len(shown) == Municipality.objects.count() - 100
    assert shown[-1] == "Plaats 100"


def test_new_legal_basis_form_offers_only_partners_and_prefills_from_the_link(admin, objects):
    partner = objects["organisation"]
    response = admin.get(reverse("organisations:legal_basis_create"), {"organisation": partner.pk})
    form = response.context["form"]
    assert form["organisation"].value() == str(partner.pk)
    assert all(not o.is_municipal for o in form.fields["organisation"].queryset)
    assert form["start_date"].value() == timezone.localdate()
    kinds = [value for value, _label in form.fields["kind"].choices]
    assert "" not in kinds  # no empty radio button
