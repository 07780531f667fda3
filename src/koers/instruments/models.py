"""Instruments as data (instrument, version, item, scale level), measurements that are never
overwritten, and the per-client summaries written with them.

An instrument's content comes from `data/*.json` (loaded by migration 0002 and again after every
migrate, see `loader.py`): a new version is a new file, not new code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Membership
from koers.clients.constants import Section
from koers.clients.models import Client
from koers.organisations.models import Municipality

from .constants import ITEM_SECTION_CHOICES, ITEM_SECTIONS, ChartKind, ItemKind

_SECTION_VALUES = [int(section) for section in ITEM_SECTIONS]


def _in_language(dutch: str, english: str) -> str:
    """Instrument texts are Dutch (the instruments are); English where the data gives it."""
    if english and (get_language() or "nl").startswith("en"):
        return english
    return dutch


class _NamedInSection:
    """An instrument or item: a name in Dutch and English, and the dossier section it is in."""

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _in_language(self.name, self.name_en)

    @property
    def section_flag(self) -> Section:
        return Section(self.section)


class Instrument(_NamedInSection, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    # Who may know that a measurement of this instrument exists at all.
    section = models.PositiveIntegerField(_("section"), choices=ITEM_SECTION_CHOICES)
    optional = models.BooleanField(
        _("optional module"),
        default=False,
        help_text=_("Only offered in municipalities that switched it on."),
    )
    chart = models.CharField(_("chart"), max_length=10, choices=ChartKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=_SECTION_VALUES), name="instruments_instrument_section"
            )
        ]


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    label = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("valid from"))
    guidance = models.TextField(_("guidance"), blank=True)
    guidance_en = models.TextField(_("guidance in English"), blank=True)
    # A yes/no per item next to its score, e.g. Positieve Gezondheid's "wil ik over praten".
    flag_label = models.CharField(_("flag per item"), max_length=100, blank=True)
    flag_label_en = models.CharField(_("flag per item in English"), max_length=100, blank=True)
    levels_descending = models.BooleanField(
        _("offer the highest level first"),
        default=False,
        help_text=_("The ZRM is scored starting at 5 and working down."),
    )
    # A fingerprint of the data file it was loaded from: an unchanged file is not loaded again.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["instrument", "valid_from"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "label"], name="instruments_version_unique_label"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.label}"

    @property
    def display_guidance(self) -> str:
        return _in_language(self.guidance, self.guidance_en)

    @property
    def display_flag_label(self) -> str:
        return _in_language(self.flag_label, self.flag_label_en)


class Item(_NamedInSection, models.Model):
    """A domain (ZRM), rung (ladder) or dimension (Positieve Gezondheid), or a circumstance
    recorded with the measurement (the ZRM's zwaartefactoren)."""

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("instrument version"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    section = models.PositiveIntegerField(_("section"), choices=ITEM_SECTION_CHOICES)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    required = models.BooleanField(_("required"), default=True)
    potential_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("potential of"),
    )

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="instruments_item_code"),
            models.CheckConstraint(
                condition=Q(section__in=_SECTION_VALUES), name="instruments_item_section"
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.POTENTIAL, potential_of__isnull=False)
                | (~Q(kind=ItemKind.POTENTIAL) & Q(potential_of__isnull=True)),
                name="instruments_item_potential_of",
            ),
        ]


class ScaleLevel(models.Model):
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="levels", verbose_name=_("item")
    )
    value = models.SmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    label_en = models.CharField(_("label in English"), max_length=100, blank=True)
    # The instrument's description of this level. Empty as shipped for the ZRM (licensed text):
    # a licence holder loads it with `manage.py load_zrm_anchors`.
    anchor = models.TextField(_("anchor text"), blank=True)

    class Meta:
        ordering = ["item", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="instruments_level_value")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.display_label}"

    @property
    def display_label(self) -> str:
        return _in_language(self.label, self.label_en)


class InstrumentSetting(models.Model):
    """An optional instrument (Positieve Gezondheid) switched on for a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="settings", verbose_name=_("instrument")
    )
    enabled = models.BooleanField(_("switched on"), default=False)

    class Meta:
        verbose_name = _("instrument setting")
        verbose_name_plural = _("instrument settings")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "instrument"], name="instruments_setting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} – {self.municipality}"


class Measurement(models.Model):
    """One scoring of an instrument for a client. Never changed after it is saved: a correction
    is a new measurement that `corrects` this one, which then stops being current."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("client")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("instrument version"),
    )
    measured_on = models.DateField(_("date of the measurement"))
    assessor = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    # Copies as they were: the measurement stays readable when the membership ends or changes.
    assessor_name = models.CharField(_("assessor's name"), max_length=150)
    assessor_organisation = models.CharField(_("assessor's organisation"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # False once a correction replaced it. The only column ever updated, and only that way.
    is_current = models.BooleanField(_("current"), default=True, editable=False)
    # The token of the form that recorded it: a double submit records nothing twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["client", "instrument", "measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [
            models.Index(
                fields=["client", "instrument", "measured_on", "id"],
                condition=Q(is_current=True),
                name="instruments_meas_current",
            ),
            models.Index(fields=["instrument", "measured_on"], name="instruments_meas_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="instruments_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="instruments_correction_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.measured_on}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A measurement is never changed: record a correction instead.")
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.version_id
            and self.instrument_id
            and self.version.instrument_id != self.instrument_id
        ):
            raise ValidationError({"version": _("This version belongs to another instrument.")})


class Score(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="scores", verbose_name=_("measurement")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="scores", verbose_name=_("item")
    )
    value = models.SmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    flag = models.BooleanField(_("flag"), default=False)

    class Meta:
        ordering = ["measurement", "item__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "item"], name="instruments_score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="instruments_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A score is never changed: record a correction instead.")
        super().save(*args, **kwargs)


class ClientInstrumentSummary(models.Model):
    """Per client and instrument: how many current measurements, the first and latest date.
    Written by `measurement_record` in the same transaction as the measurement; its row is also
    the lock that serialises two recordings for the same client and instrument."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    measurement_count = models.PositiveIntegerField(_("measurements"), default=0)
    first_on = models.DateField(_("first measured on"), null=True, blank=True)
    latest_on = models.DateField(_("latest measured on"), null=True, blank=True)
    latest_measurement = models.ForeignKey(
        Measurement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest measurement"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("client instrument summary")
        verbose_name_plural = _("client instrument summaries")
        indexes = [models.Index(fields=["instrument", "latest_on"], name="instruments_sum_latest")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "instrument"], name="instruments_summary_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.instrument_id}"


class ClientItemSummary(models.Model):
    """Per client and item (by code, so it runs on across instrument versions): the first and
    the latest score and how often it was scored, counting current measurements only."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    item_code = models.SlugField(_("item code"), max_length=40)
    # The item as the latest measurement scored it (its name and section).
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    section = models.PositiveIntegerField(_("section"), choices=ITEM_SECTION_CHOICES)
    first_value = models.SmallIntegerField(_("first score"))
    first_on = models.DateField(_("first scored on"))
    first_measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="+", verbose_name=_("first measurement")
    )
    latest_value = models.SmallIntegerField(_("latest score"))
    latest_on = models.DateField(_("latest scored on"))
    latest_measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("latest measurement"),
    )
    measurement_count = models.PositiveIntegerField(_("times scored"))

    class Meta:
        verbose_name = _("client item summary")
        verbose_name_plural = _("client item summaries")
        indexes = [
            models.Index(
                fields=["instrument", "item_code", "latest_value"], name="instruments_item_latest"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "instrument", "item_code"], name="instruments_item_summary_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.item_code}"
