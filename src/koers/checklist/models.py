"""The first-phase checklist: templates per municipality (maintained by the functional
administrator) and one checklist per household, copied from its municipality's template when it
starts, so that later template changes never rewrite a running checklist.

The checklist is the PLAN section of the household's clients; a task with an extra section
(a bijstand application: WORK_INCOME; a nareis application: ASYLUM) shows only to who may also
read that section. A volunteer sees, as own tasks (TASKS), only the tasks they own."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Household
from koers.network.models import Involvement
from koers.organisations.models import Municipality, Organisation

from .constants import CLOSED_STATUSES, MAX_DUE_WITHIN_DAYS, ExtraSection, TaskStatus


class ChecklistTemplate(models.Model):
    """A municipality's template, or the default (no municipality) for every municipality
    without one."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklist_template",
        verbose_name=_("municipality"),
    )
    is_default = models.BooleanField(_("default template"), default=False, editable=False)
    name = models.CharField(_("name"), max_length=150)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-is_default", "municipality__name", "id"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            # The default has no municipality; every other template belongs to one.
            models.CheckConstraint(
                condition=Q(is_default=True, municipality__isnull=True)
                | Q(is_default=False, municipality__isnull=False),
                name="checklist_template_default_xor_municipality",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="checklist_template_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskFields(models.Model):
    """What a template task and a household's task share (copied at the start)."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    extra_section = models.CharField(
        _("only for who may also see"),
        max_length=15,
        choices=ExtraSection.choices,
        blank=True,
        default=ExtraSection.NONE,
        help_text=_(
            "A task whose status tells something sensitive (a bijstand or nareis application) "
            "shows only to who may also see that section."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def extra_section_flag(self) -> Section | None:
        return Section[self.extra_section] if self.extra_section else None


class TemplateTask(TaskFields):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("template"),
    )
    default_owner_role = models.CharField(
        _("default owner"),
        max_length=20,
        choices=NetworkRole.choices,
        blank=True,
        help_text=_(
            "When the checklist starts, the task goes to whoever has this role in the "
            "household's network (a regisseur or klantmanager of the municipality, a "
            "begeleider or volunteer of a partner)."
        ),
    )
    due_within_days = models.PositiveSmallIntegerField(
        _("due within days of the housing date"),
        default=14,
        validators=[MaxValueValidator(MAX_DUE_WITHIN_DAYS)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        indexes = [models.Index(fields=["template", "position"], name="checklist_ttask_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_within_days__lte=MAX_DUE_WITHIN_DAYS),
                name="checklist_ttask_due_within_a_year",
            )
        ]


class Checklist(models.Model):
    """A household's first-phase checklist: one per household."""

    household = models.OneToOneField(
        Household,
        on_delete=models.CASCADE,
        related_name="checklist",
        verbose_name=_("household"),
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template"),
    )
    template_name = models.CharField(_("template"), max_length=150)
    housing_date = models.DateField(
        _("housing date"), help_text=_("Due dates count from this date.")
    )
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self) -> str:
        return f"{self.template_name} – {self.household}"


class ChecklistTask(TaskFields):
    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("checklist")
    )
    # The owner: an organisation, or someone (an involvement) in the household's network.
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (organisation)"),
    )
    owner_involvement = models.ForeignKey(
        Involvement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_tasks",
        verbose_name=_("owner (network)"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    # Closed tasks (done, not applicable): when and by whom.
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["checklist", "position", "id"]
        verbose_name = _("checklist task")
        verbose_name_plural = _("checklist tasks")
        indexes = [
            models.Index(fields=["checklist", "position"], name="checklist_task_order"),
            # The "checklist stuck" signal: open tasks by due date.
            models.Index(
                fields=["checklist", "due_on"],
                condition=Q(status__in=["open", "bezig"]),
                name="checklist_task_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["gedaan", "nvt"], done_on__isnull=False)
                | (~Q(status__in=["gedaan", "nvt"]) & Q(done_on__isnull=True)),
                name="checklist_task_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=True) | Q(owner_involvement__isnull=True),
                name="checklist_task_one_owner",
            ),
        ]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def clean(self):
        errors = {}
        if self.is_closed and not self.done_on:
            errors["done_on"] = _("Give the date the task was closed.")
        if not self.is_closed and self.done_on:
            errors["done_on"] = _("Only a done or not applicable task has a done date.")
        if self.owner_organisation_id and self.owner_involvement_id:
            errors["owner"] = _("A task has one owner: an organisation or someone in the network.")
        if errors:
            raise ValidationError(errors)
