from django.db.models import Q
from django.utils import timezone

from koers.accounts.constants import Role
from koers.accounts.models import Membership
from koers.clients.constants import SECTION_LABELS, NetworkRole, Section
from koers.clients.models import ClientLanguage

from .constants import CONSENT_FORM_LANGUAGES, purpose_label
from .models import Consent, Delegation, Involvement, WarmHandover

ENDED_LIMIT = 50
LIST_LIMIT = 100


def _with_contact(involvement: Involvement) -> Involvement:
    """How to reach the person: the involvement's own details, else the Koers user's e-mail."""
    user = involvement.membership.user if involvement.membership_id else None
    involvement.person_label = user.display_name if user else involvement.person_name
    involvement.contact_phone = involvement.phone
    involvement.contact_email = involvement.email or (user.email if user else "")
    return involvement


def _regisseur_first(involvements: list[Involvement]) -> list[Involvement]:
    # After a same-day handover both regisseurs are "active" today: show only the current one.
    if any(i.role == NetworkRole.REGISSEUR and i.end_date is None for i in involvements):
        involvements = [
            i for i in involvements if i.role != NetworkRole.REGISSEUR or i.end_date is None
        ]
    return sorted(involvements, key=lambda i: i.role != NetworkRole.REGISSEUR)


def _involvements():
    return Involvement.objects.select_related("organisation", "membership__user")


def household_network(household_id: int, *, on=None) -> list[Involvement]:
    """The active network of a household, regisseur first."""
    involvements = (
        _involvements()
        .active(on or timezone.localdate())
        .filter(household_id=household_id)
        .order_by("organisation__name", "id")
    )
    return _regisseur_first([_with_contact(i) for i in involvements])


def ended_involvements(household_id: int, *, on=None) -> list[Involvement]:
    """The most recently ended involvements (capped), newest first."""
    on = on or timezone.localdate()
    current_ids = {i.pk for i in household_network(household_id, on=on)}
    ended = (
        _involvements()
        .filter(household_id=household_id)
        .filter(Q(end_date__lt=on) | Q(role=NetworkRole.REGISSEUR, end_date__isnull=False))
        .order_by("-end_date", "-id")[:ENDED_LIMIT]
    )
    return [_with_contact(i) for i in ended if i.pk not in current_ids]


def network_card(access, client) -> dict:
    """Context for the "wie doet wat" card (template network/_wie_doet_wat.html), shown on the
    first screen of the dossier. Empty when the NETWORK section is not readable. Each
    involvement carries person_label, contact_phone and contact_email."""
    if not access.can_read(Section.NETWORK):
        return {"network_visible": False}
    network = household_network(client.household_id)
    return {
        "network_visible": True,
        "network": network,
        "has_regisseur": any(i.role == NetworkRole.REGISSEUR for i in network),
        "network_client_pk": client.pk,
    }


def warm_handovers(household_id: int) -> list[WarmHandover]:
    handovers = WarmHandover.objects.filter(household_id=household_id).order_by(
        "-received_on", "-id"
    )[:LIST_LIMIT]
    result = list(handovers)
    for handover in result:
        handover.section_labels = Section(handover.sections).labels()
    return result


def client_consents(client_id: int, *, on=None) -> tuple[list[Consent], list[Consent]]:
    """The client's consents: (in force, ended or withdrawn), each capped."""
    on = on or timezone.localdate()
    consents = list(
        Consent.objects.filter(client_id=client_id)
        .select_related("organisation", "recorded_by__user")
        .order_by("-given_on", "-id")[: LIST_LIMIT * 2]
    )
    active_ids = set(
        Consent.objects.active(on).filter(client_id=client_id).values_list("pk", flat=True)
    )
    for consent in consents:
        consent.purpose_label = purpose_label(consent.purpose)
        consent.section_labels = Section(consent.sections).labels()
    current = [c for c in consents if c.pk in active_ids]
    ended = [c for c in consents if c.pk not in active_ids]
    return current[:LIST_LIMIT], ended[:LIST_LIMIT]


def consent_form_language(client_id: int) -> tuple[str, str]:
    """The language to print the consent form in: (code Koers ships or "", the client's
    language code). The client's mother tongue first, then any language they speak."""
    languages = list(
        ClientLanguage.objects.filter(client_id=client_id)
        .order_by("-is_mother_tongue", "id")
        .values_list("language", flat=True)
    )
    spoken = next((code for code in languages if code != "nl"), languages[0] if languages else "")
    shipped = spoken if spoken in CONSENT_FORM_LANGUAGES else ""
    return shipped, spoken


def section_plain_words(sections) -> list[str]:
    return [str(SECTION_LABELS[member]) for member in Section(sections).members()]


def person_choices(organisation_id):
    """The people a household can be linked to in an organisation: its current memberships."""
    if not organisation_id:
        return Membership.objects.none()
    return (
        Membership.objects.current()
        .filter(organisation_id=organisation_id)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "id")
    )


def regisseur_candidates(household):
    """Who can take over the regie: regisseurs of an organisation serving the household's
    municipality, or of a partner organisation holding the regie there."""
    return (
        Membership.objects.current()
        .filter(role=Role.REGISSEUR)
        .filter(
            Q(organisation__municipalities=household.municipality_id)
            | Q(organisation__legal_bases__municipality=household.municipality_id)
        )
        .select_related("user", "organisation")
        .distinct()
        .order_by("organisation__name", "user__last_name", "id")
    )


# --- delegation (waarnemer) ----------------------------------------------------------------


def delegated_memberships(membership, on=None) -> list[int]:
    """The ids of the memberships `membership` stands in for on `on` (default today)."""
    if membership is None:
        return []
    return list(
        Delegation.objects.active(on)
        .filter(to_membership=membership)
        .values_list("from_membership_id", flat=True)
        .distinct()
    )


def can_manage_delegations(membership) -> bool:
    return membership is not None and (
        membership.role == Role.TEAMLEIDER or membership.opens_dossiers
    )


def delegation_sources(membership):
    """For whom this membership may record a stand-in: a team leader for any colleague in the
    organisation who opens dossiers, anyone else for themself."""
    current = Membership.objects.current().select_related("user", "organisation")
    if membership.role == Role.TEAMLEIDER:
        return current.filter(
            organisation_id=membership.organisation_id,
            role__in=[Role.REGISSEUR, Role.KLANTMANAGER, Role.BEGELEIDER, Role.COORDINATOR],
        ).order_by("user__last_name", "user__first_name", "id")
    return current.filter(pk=membership.pk)


def delegation_colleagues(membership):
    """Current colleagues of the organisation (any role that can stand in; the service checks
    the role matches the one they stand in for)."""
    return (
        Membership.objects.current()
        .filter(
            organisation_id=membership.organisation_id,
            role__in=[Role.REGISSEUR, Role.KLANTMANAGER, Role.BEGELEIDER, Role.COORDINATOR],
        )
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "id")
    )


def visible_delegations(membership, *, on=None):
    """Delegations this membership may see and end: a team leader sees the organisation's,
    anyone else those they give or receive. Current and future ones, capped."""
    on = on or timezone.localdate()
    delegations = Delegation.objects.filter(end_date__gte=on).select_related(
        "from_membership__user", "to_membership__user"
    )
    if membership.role == Role.TEAMLEIDER:
        delegations = delegations.filter(
            from_membership__organisation_id=membership.organisation_id
        )
    else:
        delegations = delegations.filter(
            Q(from_membership=membership) | Q(to_membership=membership)
        )
    return list(delegations.order_by("start_date", "id")[:LIST_LIMIT])


def can_end_delegation(membership, delegation) -> bool:
    if membership.role == Role.TEAMLEIDER:
        return delegation.from_membership.organisation_id == membership.organisation_id
    return membership.pk in (delegation.from_membership_id, delegation.created_by_id)
