from django.db.models import Max, Min, Q
from django.utils import timezone

from .constants import ContactStatus
from .models import ContactMoment


def contact_summary(household_ids, *, now=None) -> dict[int, dict]:
    """Per household: the last contact that was held and the next planned one, in one query.
    For caseload lists; no note or summary text is read."""
    now = now or timezone.now()
    rows = (
        ContactMoment.objects.filter(household_id__in=list(household_ids))
        .values("household_id")
        .annotate(
            last_contact=Max("starts_at", filter=Q(status=ContactStatus.HELD, starts_at__lte=now)),
            next_appointment=Min(
                "starts_at", filter=Q(status=ContactStatus.PLANNED, starts_at__gte=now)
            ),
        )
    )
    return {row["household_id"]: row for row in rows}
