from django.db import transaction
from django.utils import timezone

from koers.audit.constants import Action
from koers.audit.services import audit_change
from koers.clients.constants import NetworkRole, Section

from .models import Involvement


@transaction.atomic
def regisseur_assign(request, *, household, membership, note: str = "", access=None) -> Involvement:
    """Make `membership` the household's regisseur from today: the current regisseur's
    involvement ends (a handover is one action), and at most one stays active (the database's
    partial unique constraint holds it). Audited on every member of the household."""
    today = timezone.localdate()
    current = (
        Involvement.objects.select_for_update()
        .filter(household=household, role=NetworkRole.REGISSEUR, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.membership_id == membership.pk:
            return current
        current.end_date = today if current.start_date <= today else current.start_date
        current.full_clean()
        current.save(update_fields=["end_date"])
    involvement = Involvement(
        household=household,
        organisation=membership.organisation,
        membership=membership,
        role=NetworkRole.REGISSEUR,
        start_date=today,
        note=note[:300],
    )
    involvement.full_clean()
    involvement.save()
    for client_id in household.members.values_list("pk", flat=True):
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=Action.UPDATE,
            sections=Section.NETWORK,
            detail=f"regisseur_assign:{involvement.pk}",
        )
    return involvement
