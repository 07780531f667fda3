"""Reads for the functional administrator's pages. Every list is bounded (PAGE_SIZE rows a page)
and costs the same number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AreaTeam, LegalBasis, Municipality, Organisation, Region

PAGE_SIZE = 100


class BasisStatus:
    IN_FORCE = "in_force"
    NOT_YET = "not_yet"
    ENDED = "ended"

    LABELS = {
        IN_FORCE: _("In force"),
        NOT_YET: _("Not yet in force"),
        ENDED: _("Ended"),
    }


def legal_basis_status(basis: LegalBasis, on: date | None = None) -> str:
    on = on or timezone.localdate()
    if basis.start_date > on:
        return BasisStatus.NOT_YET
    if basis.end_date is not None and basis.end_date < on:
        return BasisStatus.ENDED
    return BasisStatus.IN_FORCE


def with_status(bases, on: date | None = None):
    """Set `status` and `status_label` on each basis, for the templates."""
    on = on or timezone.localdate()
    for basis in bases:
        basis.status = legal_basis_status(basis, on)
        basis.status_label = BasisStatus.LABELS[basis.status]
    return bases


def paginate(queryset: QuerySet, page_number) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class AdminCounts:
    municipalities: int
    regions: int
    area_teams: int
    organisations: int
    legal_bases_in_force: int
    users: int
    checklist_templates: int


def admin_counts() -> AdminCounts:
    from django.contrib.auth import get_user_model

    from koers.checklist.models import ChecklistTemplate

    return AdminCounts(
        municipalities=Municipality.objects.count(),
        regions=Region.objects.count(),
        area_teams=AreaTeam.objects.count(),
        organisations=Organisation.objects.count(),
        legal_bases_in_force=LegalBasis.objects.in_force().count(),
        users=get_user_model().objects.filter(is_active=True).count(),
        checklist_templates=ChecklistTemplate.objects.count(),
    )


def municipality_page(page_number) -> Page:
    queryset = Municipality.objects.annotate(area_team_count=Count("area_teams")).order_by("name")
    return paginate(queryset, page_number)


def region_page(page_number) -> Page:
    queryset = Region.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
    ).order_by("name")
    return paginate(queryset, page_number)


def area_team_page(page_number, *, municipality: Municipality | None = None) -> Page:
    queryset = AreaTeam.objects.select_related("municipality").order_by(
        "municipality__name", "name"
    )
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return paginate(queryset, page_number)


def _bases_with_parties() -> QuerySet:
    return LegalBasis.objects.select_related("organisation", "municipality")


def organisation_page(page_number) -> Page:
    queryset = Organisation.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
        Prefetch(
            "legal_bases",
            queryset=LegalBasis.objects.select_related("municipality").order_by(
                "municipality__name", "-start_date"
            ),
        ),
    ).order_by("name")
    page = paginate(queryset, page_number)
    today = timezone.localdate()
    for organisation in page.object_list:
        with_status(organisation.legal_bases.all(), today)
    return page


def organisation_legal_bases(organisation: Organisation) -> list[LegalBasis]:
    return with_status(
        list(
            organisation.legal_bases.select_related("municipality").order_by(
                "municipality__name", "-start_date"
            )[:PAGE_SIZE]
        )
    )


def legal_basis_page(
    page_number,
    *,
    organisation: Organisation | None = None,
    municipality: Municipality | None = None,
) -> Page:
    queryset = _bases_with_parties().order_by(
        "organisation__name", "municipality__name", "-start_date", "pk"
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    page = paginate(queryset, page_number)
    with_status(page.object_list)
    return page


def municipalities_of_organisation(organisation: Organisation) -> QuerySet:
    """Where the organisation works: a municipal organisation's municipalities, a partner's
    municipalities with a legal basis that has not ended."""
    if organisation.is_municipal:
        return organisation.municipalities.order_by("name")
    today = timezone.localdate()
    return (
        Municipality.objects.filter(
            Q(legal_bases__end_date__isnull=True) | Q(legal_bases__end_date__gte=today),
            legal_bases__organisation=organisation,
        )
        .distinct()
        .order_by("name")
    )
