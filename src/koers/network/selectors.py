from django.utils import timezone

from koers.clients.constants import NetworkRole, Section

from .models import Involvement


def household_network(household_id: int, *, on=None) -> list[Involvement]:
    """The active network of a household, regisseur first."""
    involvements = list(
        Involvement.objects.active(on or timezone.localdate())
        .filter(household_id=household_id)
        .select_related("organisation", "membership__user")
        .order_by("organisation__name", "id")
    )
    return sorted(involvements, key=lambda i: i.role != NetworkRole.REGISSEUR)


def network_card(access, client) -> dict:
    """Context for the "wie doet wat" card (template network/_wie_doet_wat.html), shown on the
    first screen of the dossier. Empty when the NETWORK section is not readable."""
    if not access.can_read(Section.NETWORK):
        return {"network_visible": False}
    network = household_network(client.household_id)
    return {
        "network_visible": True,
        "network": network,
        "has_regisseur": any(i.role == NetworkRole.REGISSEUR for i in network),
    }
