"""Writes of the brede intake, the leerbaarheidstoets and the PIP decision.

Every write checks the access (INBURGERING, and HEALTH for the health answers), runs in one
transaction with its audit row, refuses a stale version (VersionConflict) and raises
ValidationError with messages per field. The rules themselves are in rules.py.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event
from koers.clients.constants import Section
from koers.clients.services import VersionConflict
from koers.inburgering.models import InburgeringDuty

from .constants import (
    FINAL_STATUSES,
    HEALTH_TOPICS,
    INBURGERING_TOPICS,
    AppealKind,
    DecisionReason,
    DecisionStatus,
    IntakeStatus,
    IntakeTopic,
)
from .letters import LETTER_FIELDS, letter_texts_for
from .models import (
    DecisionAppeal,
    Intake,
    IntakeAnswer,
    IntakeHealthAnswer,
    LearnabilityTest,
    PipDecision,
    PipLetterTemplate,
)
from .rules import decision_content_errors, decision_date_errors, lbt_errors, proposed_cut_off

__all__ = ["VersionConflict"]

INTAKE_FIELDS = (
    "started_on",
    "dutch_level_estimate",
    "proposed_route",
    "proposed_level",
    "proposed_literacy",
    "conclusion",
)
LBT_FIELDS = (
    "registered_on",
    "supervisor_name",
    "exam_number",
    "outcome",
    "score",
    "cut_off",
    "taken_on",
    "exemption",
    "exempted_on",
    "note",
)
DECISION_FIELDS = (
    "reason",
    "intake",
    "plan_version",
    "learning_route",
    "level",
    "estimated_intensity_hours",
    "may_finish_current_study",
    "literacy",
    "education_target_level",
    "preconditions",
    "support",
    "pvt_content",
    "map_content",
    "monitoring",
)
APPEAL_FIELDS = ("received_on", "decided_on", "outcome", "note")


def _require(access, section: Section, *, write: bool = True):
    if not access.can_read(section) or (write and not access.can_write(section)):
        raise PermissionDenied


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _by_token(model, form_token: uuid.UUID | None):
    if form_token is None:
        return None
    return model.objects.filter(form_token=form_token).first()


def _clean_text(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _update_versioned(model, pk: int, version: int | None, changes: dict, **only_if) -> None:
    """Write `changes` to the row only while it still has `version` (and `only_if`, e.g. its
    status), moving it to the next version; otherwise raise VersionConflict with the row as it
    is now. `updated_at` is set where the model has one (a queryset update skips auto_now)."""
    touched = {"updated_at": timezone.now()} if _has_field(model, "updated_at") else {}
    updated = model.objects.filter(pk=pk, version=version, **only_if).update(
        **changes, version=F("version") + 1, **touched
    )
    if not updated:
        raise VersionConflict(model.objects.get(pk=pk))


def _update_audited(
    request,
    model,
    pk: int,
    *,
    version: int,
    changes: dict,
    access,
    client_id: int,
    detail: str,
    **only_if,
):
    """`_update_versioned`, its audit row (an update of INBURGERING), and the row as saved."""
    _update_versioned(model, pk, version, changes, **only_if)
    _audit(request, client_id=client_id, access=access, action=Action.UPDATE, detail=detail)
    return model.objects.get(pk=pk)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def _audit(request, *, client_id: int, access, action: str, detail: str, sections=None) -> None:
    """The change's audit row, in the write's transaction: the INBURGERING section unless
    `sections` says which."""
    audit_change(
        request,
        client_id=client_id,
        access=access,
        action=action,
        sections=Section.INBURGERING if sections is None else sections,
        detail=detail,
    )


# --- the brede intake ----------------------------------------------------------------------------


def _save_answers(intake: Intake, model, answers: dict[str, str], allowed) -> bool:
    """Upsert the answers of one table; True when anything changed."""
    changed = False
    existing = {row.topic: row for row in model.objects.filter(intake=intake)}
    for topic, text in answers.items():
        if topic not in allowed:
            raise ValueError(f"topic {topic} does not belong in {model.__name__}")
        text = (text or "").strip()
        row = existing.get(topic)
        if row is None:
            if text:
                model.objects.create(intake=intake, topic=topic, answer=text)
                changed = True
        elif row.answer != text:
            row.answer = text
            row.save(update_fields=["answer", "updated_at"])
            changed = True
    return changed


def intake_answers(intake: Intake, *, health: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The answers per topic: (inburgering topics, health topics); the health answers are read
    only when `health` (the caller checked the HEALTH section)."""
    answers = dict(IntakeAnswer.objects.filter(intake=intake).values_list("topic", "answer"))
    health_answers = (
        dict(IntakeHealthAnswer.objects.filter(intake=intake).values_list("topic", "answer"))
        if health
        else {}
    )
    return answers, health_answers


def _intake_sections(health_changed: bool) -> Section:
    return Section.INBURGERING | (Section.HEALTH if health_changed else Section.none())


@transaction.atomic
def intake_start(
    request,
    *,
    client,
    access,
    membership,
    values: dict,
    answers: dict[str, str],
    health_answers: dict[str, str] | None = None,
    form_token: uuid.UUID | None = None,
) -> Intake:
    """Start a brede intake (a draft). A second submit of the same form returns the first."""
    _require(access, Section.INBURGERING)
    if health_answers is not None:
        _require(access, Section.HEALTH)
    existing = _by_token(Intake, form_token)
    if existing is not None:
        return existing
    if Intake.objects.filter(client=client, status=IntakeStatus.CONCEPT).exists():
        raise ValidationError(_("There is a draft intake for this client already: continue it."))
    intake = Intake(
        client=client, conducted_by=membership, form_token=form_token, **_clean_text(values)
    )
    intake.full_clean(exclude=["client", "conducted_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            intake.save()
    except IntegrityError:
        existing = _by_token(Intake, form_token)
        if existing is None:
            raise ValidationError(
                _("There is a draft intake for this client already: continue it.")
            ) from None
        return existing
    _save_answers(intake, IntakeAnswer, answers, INBURGERING_TOPICS)
    health_changed = bool(health_answers) and _save_answers(
        intake, IntakeHealthAnswer, health_answers, HEALTH_TOPICS
    )
    _audit(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE,
        sections=_intake_sections(health_changed),
        detail=f"pip:intake_start:{intake.pk}",
    )
    return intake


def _completion_errors(intake: Intake, access, answers, health_answers) -> dict:
    """Divosa's minimum topics answered and a proposed route. The LBT topic may stay empty when
    a result or an exemption is recorded; the health topics are checked for who may write them
    (a user without the HEALTH section can neither see nor fill them)."""
    errors: dict[str, list[str]] = {}
    if not intake.proposed_route:
        errors["proposed_route"] = [_("Propose a learning route to complete the intake.")]
    lbt_done = (
        LearnabilityTest.objects.filter(client_id=intake.client_id)
        .exclude(outcome="", exemption="")
        .exists()
    )
    required = [t for t in INBURGERING_TOPICS if not (t == IntakeTopic.LBT and lbt_done)]
    if access.can_write(Section.HEALTH):
        required += list(HEALTH_TOPICS)
    every = {**answers, **health_answers}
    for topic in required:
        if not (every.get(topic) or "").strip():
            errors[f"topic_{topic}"] = [_("Answer this topic to complete the intake.")]
    return errors


@transaction.atomic
def intake_save(
    request,
    *,
    intake: Intake,
    access,
    membership,
    values: dict,
    answers: dict[str, str],
    health_answers: dict[str, str] | None = None,
    version: int,
    complete: bool = False,
) -> Intake:
    """Save a draft intake on the version it was loaded with; with `complete`, also complete it
    (all-or-nothing: an incomplete intake is saved as nothing)."""
    _require(access, Section.INBURGERING)
    if health_answers is not None:
        _require(access, Section.HEALTH)
    current = Intake.objects.get(pk=intake.pk)
    if current.status != IntakeStatus.CONCEPT:
        raise ValidationError(_("A completed intake is not changed: start a new intake."))
    values = _clean_text(values)
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean(exclude=["client", "conducted_by"], validate_constraints=False)
    extra = {}
    if complete:
        stored, stored_health = intake_answers(intake, health=access.can_read(Section.HEALTH))
        errors = _completion_errors(
            current, access, {**stored, **answers}, {**stored_health, **(health_answers or {})}
        )
        _raise(errors)
        today = timezone.localdate()
        if today < current.started_on:
            raise ValidationError(
                {"started_on": _("An intake cannot be completed before it starts.")}
            )
        extra = {
            "status": IntakeStatus.COMPLETED,
            "completed_on": today,
            "completed_by": membership,
        }
    _update_versioned(Intake, intake.pk, version, {**values, **extra}, status=IntakeStatus.CONCEPT)
    _save_answers(intake, IntakeAnswer, answers, INBURGERING_TOPICS)
    health_changed = health_answers is not None and _save_answers(
        intake, IntakeHealthAnswer, health_answers, HEALTH_TOPICS
    )
    _audit(
        request,
        client_id=intake.client_id,
        access=access,
        action=Action.UPDATE,
        sections=_intake_sections(health_changed),
        detail=f"pip:intake_{'complete' if complete else 'save'}:{intake.pk}",
    )
    return Intake.objects.get(pk=intake.pk)


# --- the leerbaarheidstoets ----------------------------------------------------------------------


def _checked_lbt(test: LearnabilityTest) -> LearnabilityTest:
    test.cut_off = proposed_cut_off(test)
    _raise(lbt_errors(test))
    test.full_clean(exclude=["client", "recorded_by"], validate_constraints=False)
    return test


@transaction.atomic
def lbt_record(
    request, *, client, access, membership, values: dict, form_token: uuid.UUID | None = None
) -> LearnabilityTest:
    """Record a leerbaarheidstoets: its registration, and the result or exemption when known.
    Without a cut-off, the cut-off that applied on the test date is used."""
    _require(access, Section.INBURGERING)
    existing = _by_token(LearnabilityTest, form_token)
    if existing is not None:
        return existing
    test = _checked_lbt(
        LearnabilityTest(
            client=client, recorded_by=membership, form_token=form_token, **_clean_text(values)
        )
    )
    try:
        with transaction.atomic():
            test.save()
    except IntegrityError:
        existing = _by_token(LearnabilityTest, form_token)
        if existing is None:
            raise
        return existing
    _audit(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE,
        detail=f"pip:lbt_record:{test.pk}",
    )
    return test


@transaction.atomic
def lbt_update(request, *, test: LearnabilityTest, access, values: dict, version: int):
    """Add the result (or correct the registration) on the version the form was loaded with."""
    _require(access, Section.INBURGERING)
    candidate = LearnabilityTest.objects.get(pk=test.pk)
    values = _clean_text(values)
    for name, value in values.items():
        setattr(candidate, name, value)
    _checked_lbt(candidate)
    changes = {name: getattr(candidate, name) for name in LBT_FIELDS}
    return _update_audited(
        request,
        LearnabilityTest,
        test.pk,
        version=version,
        changes=changes,
        access=access,
        client_id=test.client_id,
        detail=f"pip:lbt_update:{test.pk}",
    )


# --- the PIP decision ----------------------------------------------------------------------------


def decision_in_force(client_id: int, *, exclude_pk: int | None = None) -> PipDecision | None:
    """The person's adopted decision that no later decision superseded."""
    decisions = PipDecision.objects.filter(
        client_id=client_id, status__in=FINAL_STATUSES, superseded_by__isnull=True
    )
    if exclude_pk is not None:
        decisions = decisions.exclude(pk=exclude_pk)
    return decisions.order_by("-dagtekening", "-finalised_at", "-id").first()


def _content_errors(decision: PipDecision) -> dict:
    previous = decision_in_force(decision.client_id, exclude_pk=decision.pk)
    return decision_content_errors(decision, client=decision.client, previous=previous)


def _link_errors(decision: PipDecision) -> dict:
    """The intake and the plan version it refers to are the person's own; the plan version is
    an established one (a concept plan is not adopted)."""
    errors: dict[str, list[str]] = {}
    if decision.intake is not None and decision.intake.client_id != decision.client_id:
        errors["intake"] = [_("Choose an intake of this client.")]
    version = decision.plan_version
    if version is not None and (
        version.plan.household_id != decision.client.household_id or version.established_on is None
    ):
        errors["plan_version"] = [_("Choose an established version of this household's plan.")]
    return errors


def _check_draft(decision: PipDecision):
    _raise({**_content_errors(decision), **_link_errors(decision)})
    decision.full_clean(
        exclude=["client", "municipality", "created_by", "intake", "supersedes", "plan_version"],
        validate_constraints=False,
    )


@transaction.atomic
def decision_create(
    request, *, client, access, membership, values: dict, form_token: uuid.UUID | None = None
) -> PipDecision:
    """A draft PIP decision for the client's municipality. One draft per person at a time."""
    _require(access, Section.INBURGERING)
    existing = _by_token(PipDecision, form_token)
    if existing is not None:
        return existing
    if PipDecision.objects.filter(client=client, status=DecisionStatus.CONCEPT).exists():
        raise ValidationError(_("There is a draft decision for this client already."))
    decision = PipDecision(
        client=client,
        municipality_id=client.municipality_id,
        created_by=membership,
        form_token=form_token,
        **_clean_text(values),
    )
    _check_draft(decision)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        existing = _by_token(PipDecision, form_token)
        if existing is None:
            raise ValidationError(_("There is a draft decision for this client already.")) from None
        return existing
    _audit(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE,
        detail=f"pip:decision_create:{decision.pk}",
    )
    return decision


def _never_edit_adopted(decision: PipDecision):
    if decision.status != DecisionStatus.CONCEPT:
        raise ValidationError(
            _("An adopted decision is never changed: make a new decision that replaces it.")
        )


@transaction.atomic
def decision_update(
    request, *, decision: PipDecision, access, values: dict, version: int
) -> PipDecision:
    """Change a draft. A decision that is vastgesteld is never edited."""
    _require(access, Section.INBURGERING)
    candidate = PipDecision.objects.select_related("client").get(pk=decision.pk)
    _never_edit_adopted(candidate)
    values = _clean_text(values)
    for name, value in values.items():
        setattr(candidate, name, value)
    _check_draft(candidate)
    changes = {name: getattr(candidate, name) for name in DECISION_FIELDS if name in values}
    return _update_audited(
        request,
        PipDecision,
        decision.pk,
        version=version,
        changes=changes,
        access=access,
        client_id=decision.client_id,
        detail=f"pip:decision_update:{decision.pk}",
        status=DecisionStatus.CONCEPT,
    )


@transaction.atomic
def decision_delete(request, *, decision: PipDecision, access, version: int) -> None:
    """Discard a draft; an adopted decision stays for ever (it is superseded, not deleted)."""
    _require(access, Section.INBURGERING)
    _never_edit_adopted(decision)
    deleted, _rows = PipDecision.objects.filter(
        pk=decision.pk, version=version, status=DecisionStatus.CONCEPT
    ).delete()
    if not deleted:
        raise VersionConflict(PipDecision.objects.filter(pk=decision.pk).first() or decision)
    _audit(
        request,
        client_id=decision.client_id,
        access=access,
        action=Action.DELETE,
        detail=f"pip:decision_delete:{decision.pk}",
    )


def may_adopt(membership) -> bool:
    """A PIP is a beschikking of the municipality: only a municipal membership adopts it (a
    partner may prepare the draft)."""
    return bool(membership and membership.organisation.is_municipal)


@transaction.atomic
def decision_finalise(
    request, *, decision: PipDecision, access, membership, dagtekening, version: int
) -> PipDecision:
    """Adopt a draft on its dagtekening (vastgesteld). All of DUO's rules are checked again,
    with the date; the decision in force is superseded; the letter texts are kept."""
    _require(access, Section.INBURGERING)
    if not may_adopt(membership):
        raise PermissionDenied
    candidate = PipDecision.objects.select_related("client", "municipality").get(pk=decision.pk)
    _never_edit_adopted(candidate)
    previous = decision_in_force(candidate.client_id, exclude_pk=candidate.pk)
    errors = decision_content_errors(candidate, client=candidate.client, previous=previous)
    others = PipDecision.objects.filter(
        client_id=candidate.client_id, status__in=FINAL_STATUSES
    ).exclude(pk=candidate.pk)
    dates = others.aggregate(first=Min("dagtekening"), latest=Max("dagtekening"))
    duty = InburgeringDuty.objects.filter(client_id=candidate.client_id).first()
    for field, messages in decision_date_errors(
        dagtekening,
        duty=duty,
        earlier_dagtekening=dates["latest"],
        first_dagtekening=dates["first"],
        is_route_switch=previous is not None
        and candidate.learning_route != previous.learning_route,
    ).items():
        errors.setdefault(field, []).extend(messages)
    _raise(errors)
    try:
        with transaction.atomic():
            _update_versioned(
                PipDecision,
                decision.pk,
                version,
                {
                    "status": DecisionStatus.FINAL,
                    "dagtekening": dagtekening,
                    "supersedes": previous,
                    "finalised_by": membership,
                    "finalised_at": timezone.now(),
                    "letter": letter_texts_for(candidate.municipality),
                },
                status=DecisionStatus.CONCEPT,
            )
    except IntegrityError:
        # Another decision superseded the same one in the meantime.
        raise VersionConflict(PipDecision.objects.get(pk=decision.pk)) from None
    _audit(
        request,
        client_id=candidate.client_id,
        access=access,
        action=Action.UPDATE,
        detail=f"pip:decision_finalise:{decision.pk}",
    )
    return PipDecision.objects.get(pk=decision.pk)


def _advance(request, *, decision, access, version, frm, to, field, on, detail):
    _require(access, Section.INBURGERING)
    current = PipDecision.objects.get(pk=decision.pk)
    if current.status != frm:
        raise ValidationError(
            _("This step is not possible while the decision is %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if on < current.dagtekening:
        raise ValidationError(
            {field: _("The date cannot be before the date of the decision (dagtekening).")}
        )
    return _update_audited(
        request,
        PipDecision,
        decision.pk,
        version=version,
        changes={"status": to, field: on},
        access=access,
        client_id=current.client_id,
        detail=f"pip:{detail}:{decision.pk}",
        status=frm,
    )


@transaction.atomic
def decision_hand_out(request, *, decision: PipDecision, access, on, version: int):
    """The adopted decision was handed to the client (uitgereikt) on `on`."""
    return _advance(
        request,
        decision=decision,
        access=access,
        version=version,
        frm=DecisionStatus.FINAL,
        to=DecisionStatus.HANDED_OUT,
        field="handed_out_on",
        on=on,
        detail="decision_hand_out",
    )


@transaction.atomic
def decision_mark_reported(request, *, decision: PipDecision, access, on, version: int):
    """The decision was reported to DUO on `on` (through the portal, until the DUO chain
    reports it by machine)."""
    return _advance(
        request,
        decision=decision,
        access=access,
        version=version,
        frm=DecisionStatus.HANDED_OUT,
        to=DecisionStatus.REPORTED,
        field="reported_on",
        on=on,
        detail="decision_report",
    )


# --- objection and appeal ------------------------------------------------------------------------


def _appeal_errors(appeal: DecisionAppeal, decision: PipDecision) -> dict:
    errors: dict[str, list[str]] = {}
    if not decision.is_final:
        errors["__all__"] = [_("An objection is possible only against an adopted decision.")]
        return errors
    if appeal.received_on < decision.dagtekening:
        errors["received_on"] = [
            _("The date cannot be before the date of the decision (dagtekening).")
        ]
    if appeal.kind == AppealKind.APPEAL:
        objection = (
            DecisionAppeal.objects.filter(decision=decision, kind=AppealKind.OBJECTION)
            .exclude(pk=appeal.pk)
            .first()
        )
        if objection is None or objection.decided_on is None:
            errors["__all__"] = [_("An appeal follows the decision on the objection.")]
        elif appeal.received_on < objection.decided_on:
            errors["received_on"] = [
                _("An appeal cannot be received before the decision on the objection.")
            ]
    if appeal.decided_on and appeal.decided_on < appeal.received_on:
        errors["decided_on"] = [_("The decision cannot be before the date received.")]
    if appeal.decided_on and not appeal.outcome:
        errors["outcome"] = [_("Give the outcome with the date of the decision.")]
    if appeal.outcome and not appeal.decided_on:
        errors["decided_on"] = [_("Give the date of the decision with the outcome.")]
    return errors


@transaction.atomic
def appeal_save(
    request,
    *,
    decision: PipDecision,
    access,
    membership,
    kind: str,
    values: dict,
    version: int | None = None,
) -> DecisionAppeal:
    """Record an objection or appeal against a decision, or its outcome later (`version` of
    the existing record). One of each kind per decision."""
    _require(access, Section.INBURGERING)
    decision = PipDecision.objects.get(pk=decision.pk)
    existing = DecisionAppeal.objects.filter(decision=decision, kind=kind).first()
    values = _clean_text(values)
    if (
        existing is not None
        and version is None
        and all(getattr(existing, name) == value for name, value in values.items())
    ):
        return existing  # the same new record submitted twice
    appeal = existing or DecisionAppeal(decision=decision, kind=kind, recorded_by=membership)
    for name, value in values.items():
        setattr(appeal, name, value)
    _raise(_appeal_errors(appeal, decision))
    appeal.full_clean(exclude=["decision", "recorded_by"], validate_constraints=False)
    if existing is None:
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError:
            raise VersionConflict(
                DecisionAppeal.objects.get(decision=decision, kind=kind)
            ) from None
        action = Action.CREATE
    else:
        _update_versioned(
            DecisionAppeal,
            existing.pk,
            version,
            {name: getattr(appeal, name) for name in APPEAL_FIELDS},
        )
        action = Action.UPDATE
    _audit(
        request,
        client_id=decision.client_id,
        access=access,
        action=action,
        detail=f"pip:appeal_{kind}:{decision.pk}",
    )
    return DecisionAppeal.objects.get(decision=decision, kind=kind)


# --- the letter template -------------------------------------------------------------------------


@transaction.atomic
def letter_template_save(
    request, *, municipality, values: dict, version: int | None
) -> PipLetterTemplate:
    """The functional administrator's texts for the municipality's PIP letter. Changes no
    adopted decision: those keep the texts they were adopted with."""
    values = _clean_text({name: values[name] for name in LETTER_FIELDS if name in values})
    existing = PipLetterTemplate.objects.filter(municipality=municipality).first()
    template = existing or PipLetterTemplate(municipality=municipality)
    for name, value in values.items():
        setattr(template, name, value)
    template.full_clean(exclude=["municipality"], validate_constraints=False)
    if existing is None:
        try:
            with transaction.atomic():
                template.save()
        except IntegrityError:
            raise VersionConflict(
                PipLetterTemplate.objects.get(municipality=municipality)
            ) from None
    else:
        _update_versioned(PipLetterTemplate, existing.pk, version, values)
    audit_event(
        request, action=Action.ADMIN_CHANGE, detail=f"pip:letter_template:{municipality.pk}"
    )
    return PipLetterTemplate.objects.get(municipality=municipality)


# The reasons a new decision may have, given whether one is in force.
def reasons_for(has_decision_in_force: bool) -> list[tuple[str, str]]:
    if has_decision_in_force:
        return [(r.value, r.label) for r in DecisionReason if r != DecisionReason.FIRST]
    return [(r.value, r.label) for r in (DecisionReason.FIRST, DecisionReason.MOVE)]
