from django.db import transaction

from koers.network.services import regisseur_assign


@transaction.atomic
def households_assign(request, *, households, membership, note: str = "") -> int:
    """Make `membership` the regisseur of every household, all or nothing: one failing
    assignment rolls the others back. Each is audited by regisseur_assign."""
    for household in households:
        regisseur_assign(request, household=household, membership=membership, note=note)
    return len(households)
