from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event

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


@transaction.atomic
def break_glass_review(
    request, *, grant: BreakGlassAccess, reviewer, remark: str
) -> BreakGlassAccess:
    """The privacy officer's review of a break-the-glass grant, with its audit row.

    A grant is reviewed once: the update only applies while the grant is unreviewed, so of two
    reviews at the same time exactly one wins and the other gets a ValidationError.
    """
    if grant.membership.user_id == reviewer.pk:
        raise ValidationError(_("You cannot review your own emergency access."))
    if not remark.strip():
        raise ValidationError({"remark": _("Write a remark with your review.")})
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = reviewer
    grant.review_remark = remark.strip()
    grant.full_clean()
    won = BreakGlassAccess.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
        reviewed_at=grant.reviewed_at, reviewed_by=reviewer, review_remark=grant.review_remark
    )
    if not won:
        grant.refresh_from_db()
        raise ValidationError(
            _("This emergency access was already reviewed by %(name)s.")
            % {"name": grant.reviewed_by.display_name if grant.reviewed_by else "–"}
        )
    audit_event(
        request,
        action=Action.BREAK_GLASS_REVIEW,
        client_id=grant.client_id,
        detail=f"break_glass:{grant.pk}",
    )
    return grant
