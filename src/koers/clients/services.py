from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from koers.audit.constants import Action
from koers.audit.services import audit_change

from .models import BreakGlassAccess, Client


@transaction.atomic
def break_glass_open(request, *, membership, client: Client, reason: str) -> BreakGlassAccess:
    """Open a dossier outside one's scope for a while, with the reason on record for the privacy
    officer. The grant and its audit row are written together."""
    now = timezone.now()
    grant = BreakGlassAccess(
        membership=membership,
        client=client,
        reason=reason.strip(),
        created_at=now,
        expires_at=now + timedelta(hours=settings.KOERS_BREAK_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    audit_change(
        request,
        client_id=client.pk,
        action=Action.BREAK_GLASS,
        detail=f"break_glass:{grant.pk}",
    )
    return grant
