from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import AreaTeam, Municipality, Organisation

from .constants import DOSSIER_ROLES, MUNICIPAL_ONLY_ROLES, Role


class User(AbstractUser):
    """A person who signs in. What they may do depends on the membership they act in."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(is_active=True, organisation__is_active=True, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Membership(models.Model):
    """A user's role in one organisation. A user acts in one chosen membership at a time."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("job title"),
        max_length=100,
        blank=True,
        help_text=_("As the organisation calls it, e.g. klantregisseur or casusregisseur."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipalities served"),
        help_text=_("Municipal organisations: the municipalities this person works for."),
    )
    area_teams = models.ManyToManyField(
        AreaTeam,
        blank=True,
        related_name="memberships",
        verbose_name=_("area teams"),
        help_text=_("Leave empty to serve the whole of the municipalities above."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Volunteers only get access once both are recorded (product.md).
    vog_checked_on = models.DateField(_("VOG checked on"), null=True, blank=True)
    confidentiality_signed_on = models.DateField(
        _("confidentiality agreement signed on"), null=True, blank=True
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.organisation}"

    def clean(self):
        if (
            self.role in MUNICIPAL_ONLY_ROLES
            and self.organisation_id
            and (not self.organisation.is_municipal)
        ):
            raise ValidationError({"role": _("This role exists only in a municipal organisation.")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def opens_dossiers(self) -> bool:
        return self.role in DOSSIER_ROLES

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VRIJWILLIGER

    @property
    def volunteer_screening_complete(self) -> bool:
        return bool(self.vog_checked_on and self.confidentiality_signed_on)
