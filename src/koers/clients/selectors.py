from django.db.models import Q, QuerySet

from .models import Client
from .permissions import clients_visible_to

PAGE_SIZE = 50


def client_page(membership, *, after: Client | None = None, size: int = PAGE_SIZE):
    """One page of the clients the membership may see, by name, with a keyset cursor: the cost
    does not grow with the page number and no COUNT(*) runs over the whole visible set."""
    queryset: QuerySet[Client] = (
        clients_visible_to(membership)
        .select_related("municipality", "area_team")
        .order_by("family_name", "given_names", "id")
    )
    if after is not None:
        queryset = queryset.filter(
            Q(family_name__gt=after.family_name)
            | Q(family_name=after.family_name, given_names__gt=after.given_names)
            | Q(family_name=after.family_name, given_names=after.given_names, id__gt=after.pk)
        )
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size
