from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import AreaTeam, Municipality

from .constants import (
    COUNTRIES,
    LANGUAGES,
    ApplicableLaw,
    ClientStatus,
    Gender,
    Literacy,
    Relation,
    ReunificationStatus,
    Script,
    TargetGroup,
)


class Household(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("municipality"),
    )
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("area team"),
    )
    name = models.CharField(_("household name"), max_length=150)
    # The address: CONTACT section.
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["municipality", "area_team"])]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(models.QuerySet):
    def with_access_on(self, on):
        """Clients whose municipality still has access on `on` (a move out ends it)."""
        return self.filter(Q(access_ends_on__isnull=True) | Q(access_ends_on__gte=on))


class Client(models.Model):
    """A person with a dossier. Which fields belong to which section: see FIELD_SECTIONS."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    # Copied from the household so the access rule is one indexed predicate on this table.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("municipality"),
    )
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("area team"),
    )
    # BASIS
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    family_name = models.CharField(
        _("family name"), max_length=150, help_text=_("A single name goes here.")
    )
    # Date of birth as the BRP records it: parts may be unknown (00-00-1990).
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClientStatus.choices, default=ClientStatus.AANGEMELD
    )
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    # PROFILE
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, choices=COUNTRIES, blank=True
    )
    # LANGUAGES
    literacy = models.CharField(
        _("literacy in own language"),
        max_length=15,
        choices=Literacy.choices,
        default=Literacy.UNKNOWN,
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=5, choices=LANGUAGES, blank=True
    )
    # CONTACT
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # IDENTITY (unique within a municipality only: a match elsewhere must never show)
    # NULL, not "", for "unknown": the unique constraints must not treat unknowns as equal.
    bsn = models.CharField(_("BSN"), max_length=9, null=True, blank=True)  # noqa: DJ001
    v_number = models.CharField(  # noqa: DJ001
        _("V-number"), max_length=10, null=True, blank=True
    )
    # INBURGERING
    applicable_law = models.CharField(
        _("applicable law"), max_length=10, choices=ApplicableLaw.choices, blank=True
    )
    target_group = models.CharField(
        _("target group"), max_length=15, choices=TargetGroup.choices, blank=True
    )
    permit_date = models.DateField(_("residence permit date"), null=True, blank=True)
    koppeling_date = models.DateField(_("date linked to the municipality"), null=True, blank=True)
    housing_date = models.DateField(_("housing date"), null=True, blank=True)
    # A move out: the old municipality's access ends on this date.
    access_ends_on = models.DateField(_("access ends on"), null=True, blank=True)
    # Folded name tokens for search (see clients/search.py), e.g. " mhmd lhsn".
    search_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["municipality", "area_team"]),
            models.Index(fields=["area_team"]),
            models.Index(fields=["household"]),
            models.Index(fields=["municipality", "family_name", "given_names", "id"]),
            models.Index(fields=["municipality", "birth_year", "birth_month", "birth_day"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn"],
                condition=Q(bsn__isnull=False),
                name="client_unique_bsn_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "v_number"],
                condition=Q(v_number__isnull=False),
                name="client_unique_vnumber_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True)
                | (Q(birth_month__gte=1) & Q(birth_month__lte=12) & Q(birth_year__isnull=False)),
                name="client_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True)
                | (Q(birth_day__gte=1) & Q(birth_day__lte=31) & Q(birth_month__isnull=False)),
                name="client_birth_day_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        from .search import search_key_for

        self.search_key = search_key_for(self.given_names, self.family_name)
        super().save(*args, **kwargs)  # bulk_create callers set search_key themselves

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    @property
    def birth_date_display(self) -> str:
        """As the BRP writes a partly unknown date: 00-00-1990."""
        if not self.birth_year:
            return ""
        return f"{self.birth_day or 0:02d}-{self.birth_month or 0:02d}-{self.birth_year}"

    def age_on(self, on) -> int | None:
        """Age in whole years; with unknown parts, the youngest the person can be."""
        if not self.birth_year:
            return None
        month, day = self.birth_month or 12, self.birth_day or 31
        if not self.birth_day and self.birth_month:
            day = 28 if month == 2 else 30
        age = on.year - self.birth_year
        return age - 1 if (on.month, on.day) < (month, day) else age

    def clean(self):
        errors = {}
        if self.bsn:
            from stdnum.nl import bsn as bsn_check

            if not bsn_check.is_valid(self.bsn):
                errors["bsn"] = _("This is not a valid BSN (it fails the eleven test).")
        if self.birth_day and self.birth_month and self.birth_year:
            import datetime

            try:
                datetime.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError:
                errors["birth_day"] = _("This date does not exist.")
        if errors:
            raise ValidationError(errors)


class HouseholdMember(models.Model):
    """A person in a household: a client, or someone without a dossier (a young child, a family
    member abroad awaiting reunification)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="people", verbose_name=_("household")
    )
    client = models.OneToOneField(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="household_membership",
        verbose_name=_("client"),
    )
    # For members without a dossier; for clients the names come from the client.
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    relation = models.CharField(_("relation"), max_length=15, choices=Relation.choices)
    school_or_childcare = models.CharField(_("school or childcare"), max_length=150, blank=True)
    # ASYLUM section
    reunification_status = models.CharField(
        _("family reunification"),
        max_length=15,
        choices=ReunificationStatus.choices,
        default=ReunificationStatus.NOT_APPLICABLE,
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        indexes = [models.Index(fields=["household"])]

    def __str__(self) -> str:
        return self.client.full_name if self.client_id else self.full_name

    @property
    def full_name(self) -> str:
        if self.client_id:
            return self.client.full_name
        return " ".join(part for part in (self.given_names, self.family_name) if part)


class ClientLanguage(models.Model):
    """A language a client speaks: the LANGUAGES section."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="languages", verbose_name=_("client")
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    dialect = models.CharField(_("dialect"), max_length=100, blank=True)
    script = models.CharField(_("script"), max_length=5, choices=Script.choices, blank=True)
    is_mother_tongue = models.BooleanField(_("mother tongue"), default=False)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["client", "language"], name="clientlanguage_unique")
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class Relocation(models.Model):
    """A move out to another municipality: the old municipality's access ends on a set date."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="relocations", verbose_name=_("client")
    )
    to_municipality_name = models.CharField(_("new municipality"), max_length=100)
    moved_on = models.DateField(_("moved on"))
    access_ends_on = models.DateField(_("access ends on"))
    note = models.TextField(_("handover note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("move out")
        verbose_name_plural = _("moves out")
        constraints = [
            models.CheckConstraint(
                condition=Q(access_ends_on__gte=models.F("moved_on")),
                name="relocation_access_after_move",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.to_municipality_name}"


class BreakGlassQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassAccess(models.Model):
    """Access outside one's own scope, with a stated reason, reviewed by the privacy officer."""

    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="break_glass_accesses",
        verbose_name=_("membership"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_remark = models.TextField(_("review remark"), blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        indexes = [
            models.Index(fields=["membership", "expires_at"]),
            models.Index(fields=["reviewed_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"break-the-glass {self.pk} on client {self.client_id}"
