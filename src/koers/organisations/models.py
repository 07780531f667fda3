from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, Section
from koers.clients.fields import SectionsField

from .constants import LegalBasisKind, OrganisationKind


class Municipality(models.Model):
    """A gemeente: owns its clients."""

    code = models.CharField(
        _("CBS municipality code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Use the CBS code: GM followed by 4 digits."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    no_contact_signal_weeks = models.PositiveSmallIntegerField(
        _("signal after weeks without contact"),
        default=6,
        help_text=_("The caseload raises a signal when a household had no contact this long."),
    )
    volunteer_sections = SectionsField(
        _("sections volunteers may see at most"),
        default=int(VOLUNTEER_MAX_SECTIONS),
        help_text=_("A coordinator's task profile can narrow this, never widen it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (
            self.volunteer_sections is not None
            and self.volunteer_sections & ~VOLUNTEER_MAX_SECTIONS
        ):
            raise ValidationError(
                {
                    "volunteer_sections": _("Volunteers can never see these sections: %(s)s")
                    % {"s": ", ".join((self.volunteer_sections & ~VOLUNTEER_MAX_SECTIONS).labels())}
                }
            )


class Region(models.Model):
    """A set of municipalities served by one team (a regional service centre)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="regions", verbose_name=_("municipalities")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class AreaTeam(models.Model):
    """A gebiedsteam: a subdivision of one municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="area_teams",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("area team")
        verbose_name_plural = _("area teams")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="areateam_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="municipal_organisations",
        verbose_name=_("municipalities served on their legal task"),
        help_text=_("Only for municipal organisations. Partners work on a legal basis instead."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipal(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPAL


class LegalBasisQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class LegalBasis(models.Model):
    """The recorded ground on which a partner organisation processes a municipality's clients."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="legal_bases",
        verbose_name=_("organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="legal_bases",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LegalBasisKind.choices)
    sections = SectionsField(_("sections"))
    agreement_reference = models.CharField(_("agreement reference"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "organisation__name", "-start_date"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        indexes = [models.Index(fields=["organisation", "municipality", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="legalbasis_end_after_start",
            ),
            models.CheckConstraint(condition=Q(sections__gt=0), name="legalbasis_has_sections"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.municipality} ({self.get_kind_display()})"

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.sections is not None and not self.sections:
            errors["sections"] = _("Choose at least one section.")
        if self.organisation_id and self.organisation.is_municipal:
            errors["organisation"] = _(
                "A municipal organisation works on the municipality's legal task; "
                "record which municipalities it serves instead."
            )
        if (
            self.kind == LegalBasisKind.COVENANT
            and self.sections is not None
            and Section.IDENTITY in self.sections
        ):
            errors["sections"] = _(
                "An independent controller may not process the BSN (UAVG art. 46); "
                "identity numbers need a processor agreement."
            )
        if (
            self.kind == LegalBasisKind.CONSENT
            and self.sections is not None
            and Section.IDENTITY in self.sections
        ):
            errors["sections"] = _("Consent does not make processing the BSN lawful.")
        if errors:
            raise ValidationError(errors)

    def is_in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
