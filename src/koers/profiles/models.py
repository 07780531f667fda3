"""The client's profile for matching: typed, indexed columns (later issues match on these)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Membership
from koers.clients.constants import COUNTRIES
from koers.clients.models import Client

from .constants import (
    LICENCE_CATEGORIES,
    CefrLevel,
    CertificateKind,
    DiplomaEvaluation,
    EducationLevel,
    LanguageSkill,
    LevelSource,
)


class ProfessionalDirection(models.Model):
    """A maintained list of work directions; deactivated, never deleted while in use."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    clients = models.ManyToManyField(
        Client,
        through="DirectionPreference",
        related_name="preferred_directions",
        verbose_name=_("clients who prefer this direction"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("professional direction")
        verbose_name_plural = _("professional directions")

    def __str__(self) -> str:
        return self.name


class Education(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="educations", verbose_name=_("client")
    )
    level = models.CharField(_("level"), max_length=10, choices=EducationLevel.choices)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    field = models.CharField(_("field of study"), max_length=150, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    diploma_evaluated = models.CharField(
        _("diploma evaluated (IDW/Nuffic)"),
        max_length=12,
        choices=DiplomaEvaluation.choices,
        default=DiplomaEvaluation.NO,
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1940), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["client", "-year", "id"]
        verbose_name = _("education")
        verbose_name_plural = _("education")
        indexes = [models.Index(fields=["level", "completed"])]

    def __str__(self) -> str:
        return self.get_level_display()


class WorkExperience(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="work_experiences", verbose_name=_("client")
    )
    occupation = models.CharField(_("occupation"), max_length=150)
    direction = models.ForeignKey(
        ProfessionalDirection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_experiences",
        verbose_name=_("professional direction"),
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["client", "-years", "id"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        indexes = [models.Index(fields=["direction", "years"])]

    def __str__(self) -> str:
        return self.occupation


class DirectionPreference(models.Model):
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="direction_preferences",
        verbose_name=_("client"),
    )
    direction = models.ForeignKey(
        ProfessionalDirection,
        on_delete=models.PROTECT,
        related_name="preferences",
        verbose_name=_("professional direction"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 is the first choice."),
    )

    class Meta:
        ordering = ["client", "priority", "id"]
        verbose_name = _("preferred direction")
        verbose_name_plural = _("preferred directions")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "direction"],
                name="profiles_preference_unique_direction",
                violation_error_message=_("This direction is already a preferred direction."),
            )
        ]
        indexes = [models.Index(fields=["direction", "priority"])]

    def __str__(self) -> str:
        return f"{self.priority}. {self.direction}"


class LanguageLevel(models.Model):
    """One assessment of one skill. Never updated: a new assessment is a new row, so the history
    stays; the current level per skill is the latest by assessed_on (selectors)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="language_levels", verbose_name=_("client")
    )
    skill = models.CharField(_("skill"), max_length=10, choices=LanguageSkill.choices)
    level = models.CharField(_("level"), max_length=3, choices=CefrLevel.choices)
    source = models.CharField(_("source"), max_length=10, choices=LevelSource.choices)
    assessed_on = models.DateField(_("assessed on"))
    recorded_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "skill", "-assessed_on", "-id"]
        verbose_name = _("language level")
        verbose_name_plural = _("language levels")
        indexes = [
            models.Index(fields=["client", "skill", "-assessed_on", "-id"]),
            models.Index(fields=["skill", "level"]),
        ]
        constraints = [
            # A double submit must not record one assessment twice.
            models.UniqueConstraint(
                fields=["client", "skill", "assessed_on", "source"],
                name="profiles_language_level_one_per_day_and_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_skill_display()} {self.level} ({self.assessed_on})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Language levels are history: record a new assessment instead.")
        super().save(*args, **kwargs)


class Certificate(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("client")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("Required for other certificates.")
    )
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    cat_am = models.BooleanField("AM", default=False)
    cat_a = models.BooleanField("A", default=False)
    cat_b = models.BooleanField("B", default=False)
    cat_be = models.BooleanField("BE", default=False)
    cat_c = models.BooleanField("C", default=False)
    cat_ce = models.BooleanField("CE", default=False)
    cat_d = models.BooleanField("D", default=False)

    class Meta:
        ordering = ["client", "kind", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["kind", "valid_until"]),
            models.Index(fields=["cat_b"], condition=Q(cat_b=True), name="profiles_cert_licence_b"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(obtained_on__isnull=True)
                | Q(valid_until__gte=models.F("obtained_on")),
                name="profiles_certificate_valid_after_obtained",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def licence_categories(self) -> list[str]:
        return [label for name, label in LICENCE_CATEGORIES if getattr(self, name)]

    @property
    def display_name(self) -> str:
        return self.name if self.kind == CertificateKind.OTHER else self.get_kind_display()

    def clean(self):
        errors = {}
        if self.kind == CertificateKind.OTHER and not self.name.strip():
            errors["name"] = _("Give the name of the certificate.")
        if self.kind == CertificateKind.DRIVING_LICENCE and not self.licence_categories:
            errors["cat_b"] = _("Tick at least one driving licence category.")
        if self.kind != CertificateKind.DRIVING_LICENCE and self.licence_categories:
            errors["cat_b"] = _("Categories belong to a driving licence only.")
        if self.valid_until and self.obtained_on and self.valid_until < self.obtained_on:
            errors["valid_until"] = _("The end of validity cannot be before the date obtained.")
        if errors:
            raise ValidationError(errors)


class Availability(models.Model):
    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="availability", verbose_name=_("client")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    monday = models.BooleanField(_("Monday"), default=False)
    tuesday = models.BooleanField(_("Tuesday"), default=False)
    wednesday = models.BooleanField(_("Wednesday"), default=False)
    thursday = models.BooleanField(_("Thursday"), default=False)
    friday = models.BooleanField(_("Friday"), default=False)
    saturday = models.BooleanField(_("Saturday"), default=False)
    sunday = models.BooleanField(_("Sunday"), default=False)
    childcare_constraints = models.TextField(_("childcare constraints"), blank=True)
    by_bike = models.BooleanField(_("bike"), default=False)
    by_public_transport = models.BooleanField(_("public transport"), default=False)
    has_car = models.BooleanField(_("own car"), default=False)
    has_driving_licence = models.BooleanField(_("driving licence"), default=False)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        indexes = [models.Index(fields=["hours_per_week"])]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
