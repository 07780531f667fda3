"""The functional administrator's user pages: accounts, memberships, two-factor reset."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.constants import Role
from koers.accounts.models import Membership, User
from koers.accounts.services import MEMBERSHIP_STATE_FIELDS
from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.audit.models import AuditEvent
from koers.organisations.services import state_token
from koers.organisations.tests.factories import (
    AreaTeamFactory,
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Rivier-kade-Zonnebloem-42"


@pytest.fixture
def admin_membership():
    return MembershipFactory(functional_admin=True)


@pytest.fixture
def admin(signed_in, admin_membership):
    return signed_in(admin_membership)


@pytest.fixture
def colleague():
    membership = MembershipFactory(regisseur=True)
    TOTPDevice.objects.create(user=membership.user, name="phone", confirmed=True)
    return membership


def urls(colleague) -> list[str]:
    pk = colleague.user.pk
    return [
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[pk]),
        reverse("accounts:user_two_factor_reset", args=[pk]),
        reverse("accounts:membership_create", args=[pk]),
        reverse("accounts:membership_create", args=[pk])
        + f"?organisation={colleague.organisation_id}",
        reverse("accounts:membership_end", args=[pk, colleague.pk]),
    ]


def test_every_page_renders_for_the_functional_admin_with_breadcrumbs(admin, colleague):
    for url in urls(colleague):
        response = admin.get(url)
        assert response.status_code == 200, url
        crumbs = response.context["breadcrumbs"]
        assert [crumb["label"] for crumb in crumbs[:2]] == ["Beheer", "Gebruikers"], url
        assert crumbs[-1]["url"] is None
        assert "utrecht-breadcrumb-nav" in response.content.decode()


@pytest.mark.parametrize("role", [role for role in Role if role != Role.FUNCTIONAL_ADMIN])
def test_every_other_role_gets_403(role, signed_in, colleague):
    traits = {
        "begeleider": Role.BEGELEIDER,
        "coordinator": Role.COORDINATOR,
        "vrijwilliger": Role.VRIJWILLIGER,
    }
    trait = next((name for name, value in traits.items() if value == role), None)
    membership = MembershipFactory(**{trait: True}) if trait else MembershipFactory(role=role)
    client = signed_in(membership)
    for url in urls(colleague):
        assert client.get(url).status_code == 403, url
    pk = colleague.user.pk
    for name in ("user_deactivate", "user_two_factor_reset"):
        assert client.post(reverse(f"accounts:{name}", args=[pk])).status_code == 403
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
    assert TOTPDevice.objects.filter(user=colleague.user).exists()
    assert not AuditEvent.objects.exists()


# --- Users ---------------------------------------------------------------------------------


def test_user_list_searches_by_name_and_username(admin, colleague):
    UserFactory(username="jdevries", first_name="Jan", last_name="de Vries")
    UserFactory(username="fbakker", first_name="Fatima", last_name="Bakker")
    url = reverse("accounts:user_list")
    by_name = [u.username for u in admin.get(url, {"q": "vries"}).context["page"]]
    assert by_name == ["jdevries"]
    by_username = [u.username for u in admin.get(url, {"q": "FBAK"}).context["page"]]
    assert by_username == ["fbakker"]
    both_words = [u.username for u in admin.get(url, {"q": "jan vries"}).context["page"]]
    assert both_words == ["jdevries"]
    everyone = admin.get(url).context["page"]
    assert len(everyone.object_list) == User.objects.count()


def test_user_list_costs_the_same_queries_with_1_and_20_users(admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin.get(reverse("accounts:user_list")).status_code == 200
        return len(context.captured_queries)

    MembershipFactory()
    one = count()
    for _ in range(19):
        membership = MembershipFactory()
        MembershipFactory(
            user=membership.user, role=Role.KLANTMANAGER, organisation=membership.organisation
        )
    assert count() == one


def test_user_list_is_paginated_at_100(admin):
    User.objects.bulk_create(
        [
            User(username=f"bulk{number:03d}", last_name=f"Bulk {number:03d}")
            for number in range(101)
        ]
    )
    url = reverse("accounts:user_list")
    first = admin.get(url)
    assert len(first.context["page"].object_list) == 100
    second = admin.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == User.objects.count() - 100


def _new_user(**overrides) -> dict:
    data = {
        "username": "mjansen",
        "first_name": "Marieke",
        "last_name": "Jansen",
        "email": "m.jansen@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_with_an_initial_password(admin):
    response = admin.post(reverse("accounts:user_create"), _new_user())
    user = User.objects.get(username="mjansen")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.check_password(NEW_PASSWORD)
    assert user.get_full_name() == "Marieke Jansen"
    assert not user.is_staff and not user.is_superuser
    assert AuditEvent.objects.get().detail == f"user:{user.pk} created"
    # No personal data in the audit detail.
    assert "Jansen" not in AuditEvent.objects.get().detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "iets-anders-123456"}, "password2", "De twee wachtwoordvelden"),
        ({"password1": "kort", "password2": "kort"}, "password2", "te kort"),
        ({"password1": "password1234", "password2": "password1234"}, "password2", "te algemeen"),
        (
            {"password1": "48239174829374", "password2": "48239174829374"},
            "password2",
            "bevat alleen cijfers",
        ),
        ({"email": ""}, "email", "Dit veld is verplicht."),
    ],
)
def test_bad_user_input_shows_the_dutch_message_and_saves_nothing(admin, overrides, field, message):
    response = admin.post(reverse("accounts:user_create"), _new_user(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="mjansen").exists()
    assert not AuditEvent.objects.exists()


def test_a_username_is_unique_regardless_of_case(admin, colleague):
    response = admin.post(
        reverse("accounts:user_create"), _new_user(username=colleague.user.username.upper())
    )
    assert "username" in response.context["form"].errors
    assert not AuditEvent.objects.exists()


def test_deactivate_and_reactivate_a_user(admin, colleague):
    user = colleague.user
    response = admin.post(reverse("accounts:user_deactivate", args=[user.pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    detail = admin.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "Gedeactiveerd" in detail
    assert "Account weer activeren" in detail
    admin.post(reverse("accounts:user_reactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active
    assert [e.detail for e in AuditEvent.objects.order_by("id")] == [
        f"user:{user.pk} deactivated",
        f"user:{user.pk} reactivated",
    ]


def test_deactivate_is_post_only(admin, colleague):
    url = reverse("accounts:user_deactivate", args=[colleague.user.pk])
    assert admin.get(url).status_code == 405
    colleague.user.refresh_from_db()
    assert colleague.user.is_active


def test_admin_cannot_deactivate_their_own_account(admin, admin_membership):
    response = admin.post(
        reverse("accounts:user_deactivate", args=[admin_membership.user.pk]), follow=True
    )
    assert "U kunt uw eigen account niet deactiveren." in response.content.decode()
    admin_membership.user.refresh_from_db()
    assert admin_membership.user.is_active
    assert not AuditEvent.objects.exists()


def test_two_factor_reset_asks_first_and_then_removes_the_devices(admin, colleague):
    user = colleague.user
    StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    url = reverse("accounts:user_two_factor_reset", args=[user.pk])
    confirm = admin.get(url)
    assert "Tweestapsverificatie herstellen" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()  # a GET changes nothing

    response = admin.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.get().detail == f"user:{user.pk} 2fa_reset"
    detail = admin.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "Niet ingesteld" in detail


# --- Memberships ---------------------------------------------------------------------------


def test_adding_a_membership_starts_with_choosing_the_organisation(admin):
    user = UserFactory()
    response = admin.get(reverse("accounts:membership_create", args=[user.pk]))
    assert response.templates[0].name == "accounts/beheer/membership_organisation.html"
    assert "organisation" in response.context["chooser"].fields


def test_municipalities_and_area_teams_are_limited_to_the_organisation(admin):
    served, other = MunicipalityFactory(name="Gemeente A"), MunicipalityFactory(name="Gemeente B")
    team = AreaTeamFactory(municipality=served, name="Team A")
    AreaTeamFactory(municipality=other, name="Team B")
    organisation = OrganisationFactory(municipalities=[served])
    user = UserFactory()
    url = reverse("accounts:membership_create", args=[user.pk]) + f"?organisation={organisation.pk}"
    form = admin.get(url).context["form"]
    assert list(form.fields["municipalities"].queryset) == [served]
    assert list(form.fields["area_teams"].queryset) == [team]

    response = admin.post(
        url,
        {
            "role": Role.REGISSEUR,
            "title": "Klantregisseur",
            "municipalities": [served.pk],
            "area_teams": [team.pk],
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert list(membership.municipalities.all()) == [served]
    assert list(membership.area_teams.all()) == [team]
    assert AuditEvent.objects.get().detail == (
        f"membership:{membership.pk} created for user:{user.pk}"
    )

    refused = admin.post(
        url,
        {
            "role": Role.KLANTMANAGER,
            "municipalities": [other.pk],
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 200
    assert "municipalities" in refused.context["form"].errors
    assert Membership.objects.filter(user=user).count() == 1


def test_a_partner_membership_offers_the_municipalities_of_its_legal_bases(admin):
    basis = LegalBasisFactory()
    user = UserFactory()
    url = (
        reverse("accounts:membership_create", args=[user.pk])
        + f"?organisation={basis.organisation_id}"
    )
    form = admin.get(url).context["form"]
    assert list(form.fields["municipalities"].queryset) == [basis.municipality]


def test_a_municipal_only_role_is_refused_for_a_partner_in_dutch(admin):
    partner = OrganisationFactory(partner=True)
    user = UserFactory()
    url = reverse("accounts:membership_create", args=[user.pk]) + f"?organisation={partner.pk}"
    response = admin.post(
        url, {"role": Role.TEAMLEIDER, "start_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Deze rol bestaat alleen in een gemeentelijke organisatie."
    ]
    assert "Deze rol bestaat alleen in een gemeentelijke organisatie." in (
        response.content.decode()
    )
    assert not Membership.objects.filter(user=user).exists()
    assert not AuditEvent.objects.exists()


def test_a_volunteer_membership_records_vog_and_confidentiality(admin):
    partner = OrganisationFactory(partner=True)
    user = UserFactory()
    url = reverse("accounts:membership_create", args=[user.pk]) + f"?organisation={partner.pk}"
    today = timezone.localdate()
    response = admin.post(
        url,
        {
            "role": Role.VRIJWILLIGER,
            "title": "Taalmaatje",
            "start_date": today.isoformat(),
            "vog_checked_on": today.isoformat(),
            "confidentiality_signed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.volunteer_screening_complete


def test_vog_dates_are_refused_for_other_roles(admin):
    partner = OrganisationFactory(partner=True)
    user = UserFactory()
    url = reverse("accounts:membership_create", args=[user.pk]) + f"?organisation={partner.pk}"
    response = admin.post(
        url,
        {
            "role": Role.BEGELEIDER,
            "start_date": timezone.localdate().isoformat(),
            "vog_checked_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["vog_checked_on"] == [
        "Alleen voor vrijwilligers: laat dit leeg bij andere rollen."
    ]
    assert not Membership.objects.filter(user=user).exists()


def test_the_same_role_twice_in_one_organisation_is_refused(admin, colleague):
    url = (
        reverse("accounts:membership_create", args=[colleague.user.pk])
        + f"?organisation={colleague.organisation_id}"
    )
    response = admin.post(
        url, {"role": colleague.role, "start_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Membership.objects.filter(user=colleague.user).count() == 1
    assert not AuditEvent.objects.exists()


def _end_data(response) -> dict:
    form = response.context["form"]
    return {
        "loaded_state": form["loaded_state"].value(),
        "end_date": form["end_date"].value().isoformat(),
    }


def test_ending_a_membership_sets_its_end_date(admin, colleague):
    url = reverse("accounts:membership_end", args=[colleague.user.pk, colleague.pk])
    data = _end_data(admin.get(url))
    assert data["end_date"] == timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    data["end_date"] = yesterday
    assert admin.post(url, data).status_code == 302
    colleague.refresh_from_db()
    assert colleague.end_date.isoformat() == yesterday
    assert not Membership.objects.current().filter(pk=colleague.pk).exists()
    assert AuditEvent.objects.get().detail == f"membership:{colleague.pk} ended"


def test_an_end_date_before_the_start_is_refused_in_dutch(admin, colleague):
    url = reverse("accounts:membership_end", args=[colleague.user.pk, colleague.pk])
    data = _end_data(admin.get(url))
    data["end_date"] = (colleague.start_date - timedelta(days=1)).isoformat()
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "De einddatum kan niet voor de startdatum liggen." in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.end_date is None


def test_two_end_forms_from_the_same_state_the_second_is_refused(admin, colleague):
    url = reverse("accounts:membership_end", args=[colleague.user.pk, colleague.pk])
    first = _end_data(admin.get(url))
    second = _end_data(admin.get(url))
    assert first["loaded_state"] == state_token(colleague, MEMBERSHIP_STATE_FIELDS)
    first["end_date"] = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert admin.post(url, first).status_code == 302
    response = admin.post(url, second)
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd." in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.end_date.isoformat() == first["end_date"]
    assert AuditEvent.objects.count() == 1


def test_a_membership_of_another_user_is_not_found(admin, colleague):
    other = UserFactory()
    url = reverse("accounts:membership_end", args=[other.pk, colleague.pk])
    assert admin.get(url).status_code == 404
