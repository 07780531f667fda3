"""The services and DUO's rules; each rule's test is named after the rule."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import translation

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section, TargetGroup
from koers.clients.permissions import client_access
from koers.clients.services import VersionConflict
from koers.clients.tests.factories import ClientFactory
from koers.inburgering.constants import LearningRoute, LiteracyIndicator, PipLevel
from koers.organisations.tests.factories import MunicipalityFactory
from koers.pip.constants import (
    AppealKind,
    AppealOutcome,
    DecisionReason,
    DecisionStatus,
    IntakeStatus,
    IntakeTopic,
    LbtExemption,
    LbtOutcome,
)
from koers.pip.letters import default_letter_texts
from koers.pip.models import (
    Intake,
    IntakeAnswer,
    IntakeHealthAnswer,
    LearnabilityTest,
    PipDecision,
    PipLetterTemplate,
)
from koers.pip.rules import add_months
from koers.pip.services import (
    appeal_save,
    decision_create,
    decision_delete,
    decision_finalise,
    decision_hand_out,
    decision_in_force,
    decision_mark_reported,
    decision_update,
    intake_save,
    intake_start,
    lbt_record,
    lbt_update,
)
from koers.plans.models import PlanVersion

from .factories import (
    DecisionFactory,
    DutyFactory,
    LbtFactory,
    client_of,
    established_plan_version,
)

pytestmark = pytest.mark.django_db

D = datetime.date
INBURGERING_ANSWERS = {
    topic: f"Antwoord over {topic}"
    for topic in (
        IntakeTopic.SELF_RELIANCE,
        IntakeTopic.LANGUAGE,
        IntakeTopic.LBT,
        IntakeTopic.EDUCATION_WORK,
        IntakeTopic.FAMILY,
        IntakeTopic.SOCIAL_NETWORK,
        IntakeTopic.EARLY_EDUCATION,
        IntakeTopic.PROSPECTS,
    )
}
HEALTH_ANSWERS = {
    IntakeTopic.PHYSICAL_HEALTH: "Rugklachten, kan niet lang zitten.",
    IntakeTopic.MENTAL_HEALTH: "Slaapt slecht.",
}


class Ctx:
    def __init__(self, membership):
        self.membership = membership
        self.request = RequestFactory().post("/")
        self.request.user = membership.user
        self.request.membership = membership
        self.client = client_of(membership)
        self.duty = DutyFactory(client=self.client)
        self.access = client_access(membership, self.client)


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in the msgids' language."""
    with translation.override("en"):
        yield


@pytest.fixture
def ctx():
    return Ctx(MembershipFactory(regisseur=True))


def _create(ctx, **values):
    values.setdefault("reason", DecisionReason.FIRST)
    values.setdefault("learning_route", LearningRoute.B1)
    return decision_create(
        ctx.request, client=ctx.client, access=ctx.access, membership=ctx.membership, values=values
    )


def _adopt(ctx, decision, on=D(2025, 3, 1)):
    decision.refresh_from_db()
    return decision_finalise(
        ctx.request,
        decision=decision,
        access=ctx.access,
        membership=ctx.membership,
        dagtekening=on,
        version=decision.version,
    )


def _first_pip(ctx, on=D(2025, 3, 1), **values):
    return _adopt(ctx, _create(ctx, **values), on)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- the brede intake ----------------------------------------------------------------------------


def test_intake_stores_answers_per_topic_and_health_answers_apart(ctx):
    intake = intake_start(
        ctx.request,
        client=ctx.client,
        access=ctx.access,
        membership=ctx.membership,
        values={"proposed_route": LearningRoute.B1},
        answers=INBURGERING_ANSWERS,
        health_answers=HEALTH_ANSWERS,
    )
    assert set(IntakeAnswer.objects.filter(intake=intake).values_list("topic", flat=True)) == set(
        INBURGERING_ANSWERS
    )
    assert set(
        IntakeHealthAnswer.objects.filter(intake=intake).values_list("topic", flat=True)
    ) == set(HEALTH_ANSWERS)
    row = AuditEvent.objects.get(client_id=ctx.client.pk, action=Action.CREATE)
    assert row.sections == Section.INBURGERING | Section.HEALTH


def test_health_answer_table_refuses_a_non_health_topic(ctx):
    intake = Intake.objects.create(client=ctx.client, conducted_by=ctx.membership)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeHealthAnswer.objects.create(intake=intake, topic=IntakeTopic.FAMILY, answer="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeAnswer.objects.create(intake=intake, topic=IntakeTopic.MENTAL_HEALTH, answer="x")


def test_intake_without_health_section_cannot_write_health_answers(ctx):
    klantmanager = MembershipFactory(klantmanager=True, organisation=ctx.membership.organisation)
    access = client_access(klantmanager, ctx.client)
    assert not access.can_write(Section.HEALTH)
    with pytest.raises(PermissionDenied):
        intake_start(
            ctx.request,
            client=ctx.client,
            access=access,
            membership=klantmanager,
            values={},
            answers={},
            health_answers=HEALTH_ANSWERS,
        )
    assert not Intake.objects.exists()


def test_intake_double_submit_starts_one_intake(ctx):
    token = uuid.uuid4()
    kwargs = {
        "client": ctx.client,
        "access": ctx.access,
        "membership": ctx.membership,
        "values": {},
        "answers": {},
        "form_token": token,
    }
    first = intake_start(ctx.request, **kwargs)
    second = intake_start(ctx.request, **kwargs)
    assert first.pk == second.pk
    assert Intake.objects.count() == 1


def test_one_draft_intake_per_client(ctx):
    kwargs = {
        "client": ctx.client,
        "access": ctx.access,
        "membership": ctx.membership,
        "values": {},
        "answers": {},
    }
    intake_start(ctx.request, **kwargs)
    with pytest.raises(ValidationError):
        intake_start(ctx.request, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.create(client=ctx.client, conducted_by=ctx.membership)


def _draft_intake(ctx, **values):
    return intake_start(
        ctx.request,
        client=ctx.client,
        access=ctx.access,
        membership=ctx.membership,
        values=values,
        answers={},
    )


def test_intake_completes_only_with_every_topic_and_a_proposed_route(ctx):
    intake = _draft_intake(ctx)
    with pytest.raises(ValidationError) as excinfo:
        intake_save(
            ctx.request,
            intake=intake,
            access=ctx.access,
            membership=ctx.membership,
            values={},
            answers={IntakeTopic.FAMILY: "Gezin van vier"},
            health_answers={},
            version=intake.version,
            complete=True,
        )
    errors = _errors(excinfo)
    assert "proposed_route" in errors
    assert "topic_zelfredzaamheid" in errors
    assert "topic_psychische_gezondheid" in errors
    assert "topic_gezin" not in errors
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONCEPT
    assert not IntakeAnswer.objects.exists()  # all or nothing

    done = intake_save(
        ctx.request,
        intake=intake,
        access=ctx.access,
        membership=ctx.membership,
        values={"proposed_route": LearningRoute.B1, "proposed_level": PipLevel.B1},
        answers=INBURGERING_ANSWERS,
        health_answers=HEALTH_ANSWERS,
        version=intake.version,
        complete=True,
    )
    assert done.status == IntakeStatus.COMPLETED
    assert done.completed_by == ctx.membership
    assert done.completed_on is not None


def test_intake_lbt_topic_may_stay_empty_when_the_result_is_recorded(ctx):
    LbtFactory(client=ctx.client, feasible=True)
    intake = _draft_intake(ctx, proposed_route=LearningRoute.B1)
    answers = {k: v for k, v in INBURGERING_ANSWERS.items() if k != IntakeTopic.LBT}
    done = intake_save(
        ctx.request,
        intake=intake,
        access=ctx.access,
        membership=ctx.membership,
        values={},
        answers=answers,
        health_answers=HEALTH_ANSWERS,
        version=intake.version,
        complete=True,
    )
    assert done.status == IntakeStatus.COMPLETED


def test_intake_completed_by_someone_without_health_needs_no_health_answers(ctx):
    klantmanager = MembershipFactory(klantmanager=True, organisation=ctx.membership.organisation)
    access = client_access(klantmanager, ctx.client)
    intake = _draft_intake(ctx, proposed_route=LearningRoute.Z)
    done = intake_save(
        ctx.request,
        intake=intake,
        access=access,
        membership=klantmanager,
        values={},
        answers=INBURGERING_ANSWERS,
        version=intake.version,
        complete=True,
    )
    assert done.status == IntakeStatus.COMPLETED
    row = AuditEvent.objects.filter(action=Action.UPDATE).get()
    assert row.sections == Section.INBURGERING


def test_a_completed_intake_is_not_changed(ctx):
    intake = _draft_intake(ctx, proposed_route=LearningRoute.B1)
    intake = intake_save(
        ctx.request,
        intake=intake,
        access=ctx.access,
        membership=ctx.membership,
        values={},
        answers=INBURGERING_ANSWERS,
        health_answers=HEALTH_ANSWERS,
        version=intake.version,
        complete=True,
    )
    with pytest.raises(ValidationError):
        intake_save(
            ctx.request,
            intake=intake,
            access=ctx.access,
            membership=ctx.membership,
            values={"conclusion": "anders"},
            answers={},
            version=intake.version,
        )


def test_intake_save_on_a_stale_version_writes_nothing(ctx):
    intake = _draft_intake(ctx)
    kwargs = {
        "intake": intake,
        "access": ctx.access,
        "membership": ctx.membership,
        "answers": {},
        "version": intake.version,
    }
    intake_save(ctx.request, values={"conclusion": "eerste"}, **kwargs)
    with pytest.raises(VersionConflict) as excinfo:
        intake_save(ctx.request, values={"conclusion": "tweede"}, **kwargs)
    assert excinfo.value.current.conclusion == "eerste"


def test_intake_proposal_follows_duos_level_rules_in_the_database(ctx):
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.create(
            client=ctx.client,
            conducted_by=ctx.membership,
            proposed_route=LearningRoute.EDUCATION,
            proposed_level=PipLevel.A2,
        )


# --- the leerbaarheidstoets ----------------------------------------------------------------------


def _lbt(ctx, **values):
    values.setdefault("registered_on", D(2025, 2, 1))
    return lbt_record(
        ctx.request, client=ctx.client, access=ctx.access, membership=ctx.membership, values=values
    )


def test_lbt_rule_cut_off_that_applied_on_the_test_date_is_proposed(ctx):
    after = _lbt(
        ctx,
        registered_on=D(2023, 3, 1),
        outcome=LbtOutcome.FEASIBLE,
        score=Decimal("29"),
        taken_on=D(2023, 4, 12),
    )
    assert after.cut_off == Decimal("28.00")
    before = _lbt(
        ctx,
        registered_on=D(2023, 3, 1),
        outcome=LbtOutcome.NOT_FEASIBLE,
        score=Decimal("29"),
        taken_on=D(2023, 4, 11),
    )
    assert before.cut_off == Decimal("31.00")
    given = _lbt(
        ctx,
        outcome=LbtOutcome.FEASIBLE,
        score=Decimal("30"),
        cut_off=Decimal("30"),
        taken_on=D(2025, 2, 3),
    )
    assert given.cut_off == Decimal("30")  # DUO's value wins


def test_lbt_rule_result_has_outcome_score_and_date_together(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(ctx, outcome=LbtOutcome.FEASIBLE)
    assert {"score", "taken_on"} <= set(_errors(excinfo))
    test = LbtFactory(client=ctx.client)
    test.outcome = LbtOutcome.UNKNOWN
    with pytest.raises(IntegrityError), transaction.atomic():
        test.save()


def test_lbt_rule_outcome_agrees_with_score_and_cut_off(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(ctx, outcome=LbtOutcome.FEASIBLE, score=Decimal("27.50"), taken_on=D(2025, 2, 3))
    assert "outcome" in _errors(excinfo)
    with pytest.raises(ValidationError):
        _lbt(ctx, outcome=LbtOutcome.NOT_FEASIBLE, score=Decimal("28"), taken_on=D(2025, 2, 3))
    unknown = _lbt(ctx, outcome=LbtOutcome.UNKNOWN, score=Decimal("0"), taken_on=D(2025, 2, 3))
    assert unknown.outcome == LbtOutcome.UNKNOWN


def test_lbt_rule_exemption_for_impairment_only_from_2023(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(ctx, registered_on=None, exemption=LbtExemption.VISUAL, exempted_on=D(2022, 12, 31))
    assert "exempted_on" in _errors(excinfo)
    test = _lbt(ctx, registered_on=None, exemption=LbtExemption.AUDITORY, exempted_on=D(2023, 1, 1))
    assert test.exemption == LbtExemption.AUDITORY


def test_lbt_rule_an_exempt_client_has_no_result(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(
            ctx,
            exemption=LbtExemption.VISUAL,
            exempted_on=D(2025, 2, 1),
            outcome=LbtOutcome.FEASIBLE,
            score=Decimal("30"),
            taken_on=D(2025, 2, 3),
        )
    assert "exemption" in _errors(excinfo)


def test_lbt_rule_registered_or_exempt(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(ctx, registered_on=None)
    assert "registered_on" in _errors(excinfo)


def test_lbt_rule_test_date_not_before_registration(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _lbt(ctx, outcome=LbtOutcome.FEASIBLE, score=Decimal("35"), taken_on=D(2025, 1, 20))
    assert "taken_on" in _errors(excinfo)


def test_lbt_result_added_later_on_the_version_loaded(ctx):
    test = _lbt(ctx, supervisor_name="S. de Vries")
    values = {"outcome": LbtOutcome.FEASIBLE, "score": Decimal("33"), "taken_on": D(2025, 2, 3)}
    updated = lbt_update(ctx.request, test=test, access=ctx.access, values=values, version=1)
    assert updated.cut_off == Decimal("28.00")
    assert updated.supervisor_name == "S. de Vries"
    with pytest.raises(VersionConflict):
        lbt_update(ctx.request, test=test, access=ctx.access, values=values, version=1)
    assert LearnabilityTest.objects.get().version == 2


# --- the PIP decision: DUO's rules ---------------------------------------------------------------


def test_pip_rule_dagtekening_not_before_duty_start(ctx):
    decision = _create(ctx)
    with pytest.raises(ValidationError) as excinfo:
        _adopt(ctx, decision, D(2025, 1, 5))
    assert "dagtekening" in _errors(excinfo)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CONCEPT


def test_pip_rule_dagtekening_not_before_municipal_registration(ctx):
    decision = _create(ctx)
    with pytest.raises(ValidationError) as excinfo:
        _adopt(ctx, decision, D(2025, 1, 10))  # after the duty start, before the registration
    assert "registration in the municipality" in str(_errors(excinfo)["dagtekening"])
    assert _adopt(ctx, decision, D(2025, 1, 13)).status == DecisionStatus.FINAL


def test_pip_rule_dagtekening_not_before_earlier_pip(ctx):
    _first_pip(ctx, D(2025, 3, 1))
    change = _create(ctx, reason=DecisionReason.OTHER, support="Extra begeleiding")
    with pytest.raises(ValidationError) as excinfo:
        _adopt(ctx, change, D(2025, 2, 28))
    assert "earlier PIP" in str(_errors(excinfo)["dagtekening"])
    assert _adopt(ctx, change, D(2025, 3, 1)).status == DecisionStatus.FINAL


def test_pip_rule_no_a2_with_onderwijsroute(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.EDUCATION, level=PipLevel.A2)
    assert "level" in _errors(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(client=ctx.client, learning_route=LearningRoute.EDUCATION, level="A2")
    assert _create(ctx, learning_route=LearningRoute.EDUCATION, level=PipLevel.B1).pk


def test_pip_rule_no_b1_with_z_route(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.Z, level=PipLevel.B1)
    assert "level" in _errors(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(client=ctx.client, learning_route=LearningRoute.Z, level="B1")


def test_pip_rule_no_a2_in_first_b1_route_pip(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.B1, level=PipLevel.A2)
    assert "first B1-route PIP" in str(_errors(excinfo)["level"])
    # Not through a move either, without an earlier B1-route decision.
    with pytest.raises(ValidationError):
        _create(ctx, reason=DecisionReason.MOVE, level=PipLevel.A2)


def test_pip_rule_a2_only_after_afschalen_in_a_later_decision(ctx):
    _first_pip(ctx, level=PipLevel.B1)
    with pytest.raises(ValidationError):
        _create(ctx, reason=DecisionReason.OTHER, level=PipLevel.A2)
    lowered = _adopt(
        ctx, _create(ctx, reason=DecisionReason.AFSCHALEN, level=PipLevel.A2), D(2026, 1, 5)
    )
    assert lowered.level == PipLevel.A2
    # Once lowered, a later change keeps A2.
    assert _create(ctx, reason=DecisionReason.OTHER, level=PipLevel.A2).level == PipLevel.A2


def test_pip_rule_afschalen_lowers_a_b1_route_to_a2(ctx):
    _first_pip(ctx, learning_route=LearningRoute.B1, level=PipLevel.B1)
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, reason=DecisionReason.AFSCHALEN, level=PipLevel.B1)
    assert "level" in _errors(excinfo)


def test_pip_rule_intensity_only_for_b1_route(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.Z, estimated_intensity_hours=800)
    assert "estimated_intensity_hours" in _errors(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(
            client=ctx.client, learning_route=LearningRoute.Z, estimated_intensity_hours=800
        )


def test_pip_rule_intensity_only_for_asylum_target_groups(ctx):
    ctx.client.target_group = TargetGroup.GEZIN
    ctx.client.save()
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, estimated_intensity_hours=600)
    assert "asylum" in str(_errors(excinfo)["estimated_intensity_hours"])
    ctx.client.target_group = TargetGroup.NAREIZIGER
    ctx.client.save()
    assert _create(ctx, estimated_intensity_hours=600).estimated_intensity_hours == 600


def test_pip_rule_intensity_between_1_and_9999_hours(ctx):
    with pytest.raises(ValidationError):
        _create(ctx, estimated_intensity_hours=10000)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(client=ctx.client, estimated_intensity_hours=0)
    assert _create(ctx, estimated_intensity_hours=9999).pk


def test_pip_rule_route_switch_only_within_18_months_of_term_start(ctx):
    _first_pip(ctx, D(2025, 3, 1))
    ctx.duty.term_starts_on = D(2025, 3, 10)  # DUO's date wins over the first dagtekening
    ctx.duty.save()
    switch = _create(ctx, reason=DecisionReason.ROUTE_SWITCH, learning_route=LearningRoute.Z)
    with pytest.raises(ValidationError) as excinfo:
        _adopt(ctx, switch, D(2026, 9, 11))
    assert "18 months" in str(_errors(excinfo)["dagtekening"])
    assert _adopt(ctx, switch, D(2026, 9, 10)).status == DecisionStatus.FINAL


def test_pip_rule_route_switch_window_counts_from_the_first_pip_without_duos_term_start(ctx):
    _first_pip(ctx, D(2025, 3, 1))
    switch = _create(ctx, reason=DecisionReason.ROUTE_SWITCH, learning_route=LearningRoute.Z)
    with pytest.raises(ValidationError):
        _adopt(ctx, switch, D(2026, 9, 2))
    assert _adopt(ctx, switch, D(2026, 9, 1)).learning_route == LearningRoute.Z


def test_pip_rule_another_route_is_a_route_switch(ctx):
    _first_pip(ctx)
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, reason=DecisionReason.OTHER, learning_route=LearningRoute.Z)
    assert "learning_route" in _errors(excinfo)
    with pytest.raises(ValidationError):
        _create(ctx, reason=DecisionReason.ROUTE_SWITCH, learning_route=LearningRoute.B1)


def test_pip_rule_vastgesteld_decision_is_never_edited(ctx):
    adopted = _first_pip(ctx)
    with pytest.raises(ValidationError):
        decision_update(
            ctx.request,
            decision=adopted,
            access=ctx.access,
            values={"support": "Iets anders"},
            version=adopted.version,
        )
    with pytest.raises(ValidationError):
        decision_delete(ctx.request, decision=adopted, access=ctx.access, version=adopted.version)
    with pytest.raises(ValidationError):
        _adopt(ctx, adopted, D(2025, 4, 1))
    adopted.refresh_from_db()
    assert adopted.support == ""
    assert adopted.dagtekening == D(2025, 3, 1)


def test_pip_rule_change_after_vastgesteld_is_a_new_decision_that_supersedes(ctx):
    first = _first_pip(ctx)
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, reason=DecisionReason.FIRST)
    assert "reason" in _errors(excinfo)
    change = _adopt(
        ctx,
        _create(ctx, reason=DecisionReason.ROUTE_SWITCH, learning_route=LearningRoute.EDUCATION),
        D(2025, 6, 1),
    )
    assert change.supersedes == first
    assert decision_in_force(ctx.client.pk) == change
    first.refresh_from_db()
    assert first.status == DecisionStatus.FINAL
    assert first.learning_route == LearningRoute.B1
    # A decision is superseded once only.
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(client=ctx.client, final=True, supersedes=first)


def test_pip_rule_first_pip_has_no_change_reason(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, reason=DecisionReason.ROUTE_SWITCH)
    assert "reason" in _errors(excinfo)


def test_pip_rule_move_keeps_the_route_in_another_municipality(ctx):
    _first_pip(ctx, learning_route=LearningRoute.B1)
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, reason=DecisionReason.MOVE)
    assert "no move" in str(_errors(excinfo)["reason"])
    new_town = MunicipalityFactory()
    ctx.membership.organisation.municipalities.add(new_town)
    ctx.client.municipality = new_town
    ctx.client.save()
    with pytest.raises(ValidationError):
        _create(ctx, reason=DecisionReason.MOVE, learning_route=LearningRoute.Z)
    moved = _create(ctx, reason=DecisionReason.MOVE)
    assert moved.municipality == new_town


def test_pip_rule_no_map_in_onderwijsroute(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.EDUCATION, map_content="40 uur stage")
    assert "map_content" in _errors(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(
            client=ctx.client, learning_route=LearningRoute.EDUCATION, map_content="stage"
        )


def test_education_target_level_only_for_the_onderwijsroute_and_kept_from_duo(ctx):
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, learning_route=LearningRoute.B1, education_target_level="B2")
    assert "education_target_level" in _errors(excinfo)
    decision = _create(ctx, learning_route=LearningRoute.EDUCATION, education_target_level="B2")
    assert decision.education_target_level == "B2"


def test_pip_rule_statuses_follow_in_order(ctx):
    draft = _create(ctx)
    with pytest.raises(ValidationError):
        decision_hand_out(
            ctx.request, decision=draft, access=ctx.access, on=D(2025, 3, 2), version=1
        )
    adopted = _adopt(ctx, draft)
    with pytest.raises(ValidationError):
        decision_mark_reported(
            ctx.request, decision=adopted, access=ctx.access, on=D(2025, 3, 2), version=2
        )
    handed = decision_hand_out(
        ctx.request, decision=adopted, access=ctx.access, on=D(2025, 3, 2), version=2
    )
    assert handed.status == DecisionStatus.HANDED_OUT
    reported = decision_mark_reported(
        ctx.request, decision=handed, access=ctx.access, on=D(2025, 3, 3), version=3
    )
    assert reported.status == DecisionStatus.REPORTED
    assert reported.reported_on == D(2025, 3, 3)


def test_pip_rule_handed_out_not_before_dagtekening(ctx):
    adopted = _first_pip(ctx)
    with pytest.raises(ValidationError) as excinfo:
        decision_hand_out(
            ctx.request, decision=adopted, access=ctx.access, on=D(2025, 2, 28), version=2
        )
    assert "handed_out_on" in _errors(excinfo)
    adopted.status, adopted.handed_out_on = DecisionStatus.HANDED_OUT, D(2025, 2, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        adopted.save()


def test_pip_rule_adopted_decision_has_a_dagtekening_in_the_database(ctx):
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(client=ctx.client, status=DecisionStatus.FINAL)


def test_only_a_municipal_membership_adopts_a_decision(ctx):
    partner = MembershipFactory(regisseur=True, organisation__kind="partner")
    draft = _create(ctx)
    with pytest.raises(PermissionDenied):
        decision_finalise(
            ctx.request,
            decision=draft,
            access=ctx.access,
            membership=partner,
            dagtekening=D(2025, 3, 1),
            version=draft.version,
        )


def test_one_draft_decision_per_client_and_a_double_submit_creates_one(ctx):
    token = uuid.uuid4()
    kwargs = {
        "client": ctx.client,
        "access": ctx.access,
        "membership": ctx.membership,
        "values": {"reason": DecisionReason.FIRST, "learning_route": LearningRoute.B1},
        "form_token": token,
    }
    assert decision_create(ctx.request, **kwargs).pk == decision_create(ctx.request, **kwargs).pk
    kwargs["form_token"] = uuid.uuid4()
    with pytest.raises(ValidationError):
        decision_create(ctx.request, **kwargs)
    assert PipDecision.objects.count() == 1


def test_draft_update_on_a_stale_version_writes_nothing(ctx):
    draft = _create(ctx)
    decision_update(
        ctx.request, decision=draft, access=ctx.access, values={"support": "A"}, version=1
    )
    with pytest.raises(VersionConflict) as excinfo:
        decision_update(
            ctx.request, decision=draft, access=ctx.access, values={"support": "B"}, version=1
        )
    assert excinfo.value.current.support == "A"


def test_adoption_keeps_the_letter_texts_of_that_moment(ctx):
    adopted = _first_pip(ctx, literacy=LiteracyIndicator.NOT_APPLICABLE)
    assert adopted.letter == default_letter_texts(ctx.client.municipality)
    PipLetterTemplate.objects.create(
        municipality=ctx.client.municipality,
        letterhead="Gemeente Nieuw",
        intro="Beste",
        signatory_name="B. Burgemeester",
        signatory_title="burgemeester",
        objection_clause="Bezwaar binnen zes weken.",
    )
    adopted.refresh_from_db()
    assert "B. Burgemeester" not in adopted.letter.values()


def test_decision_changes_are_audited_as_inburgering(ctx):
    adopted = _first_pip(ctx)
    rows = AuditEvent.objects.filter(client_id=ctx.client.pk).order_by("id")
    assert [r.action for r in rows] == [Action.CREATE, Action.UPDATE]
    assert all(r.sections == Section.INBURGERING for r in rows)
    assert rows[1].detail == f"pip:decision_finalise:{adopted.pk}"


def test_add_months_keeps_the_day_or_the_last_of_the_month():
    assert add_months(D(2025, 3, 10), 18) == D(2026, 9, 10)
    assert add_months(D(2024, 8, 31), 18) == D(2026, 2, 28)


# --- objection and appeal ------------------------------------------------------------------------


def _appeal(ctx, decision, kind=AppealKind.OBJECTION, version=None, **values):
    return appeal_save(
        ctx.request,
        decision=decision,
        access=ctx.access,
        membership=ctx.membership,
        kind=kind,
        values=values,
        version=version,
    )


def test_objection_only_against_an_adopted_decision(ctx):
    draft = _create(ctx)
    with pytest.raises(ValidationError):
        _appeal(ctx, draft, received_on=D(2025, 3, 10))


def test_objection_not_received_before_the_dagtekening(ctx):
    adopted = _first_pip(ctx)
    with pytest.raises(ValidationError) as excinfo:
        _appeal(ctx, adopted, received_on=D(2025, 2, 1))
    assert "received_on" in _errors(excinfo)


def test_objection_recorded_then_decided_and_an_appeal_follows(ctx):
    adopted = _first_pip(ctx)
    with pytest.raises(ValidationError):
        _appeal(ctx, adopted, AppealKind.APPEAL, received_on=D(2025, 5, 1))
    objection = _appeal(ctx, adopted, received_on=D(2025, 3, 20))
    with pytest.raises(ValidationError) as excinfo:
        _appeal(ctx, adopted, version=objection.version, outcome=AppealOutcome.UNFOUNDED)
    assert "decided_on" in _errors(excinfo)
    decided = _appeal(
        ctx,
        adopted,
        version=objection.version,
        decided_on=D(2025, 4, 30),
        outcome=AppealOutcome.UNFOUNDED,
    )
    assert decided.outcome == AppealOutcome.UNFOUNDED
    with pytest.raises(ValidationError):
        _appeal(ctx, adopted, AppealKind.APPEAL, received_on=D(2025, 4, 29))
    appeal = _appeal(ctx, adopted, AppealKind.APPEAL, received_on=D(2025, 5, 2))
    assert appeal.kind == AppealKind.APPEAL
    with pytest.raises(VersionConflict):
        _appeal(ctx, adopted, version=objection.version, note="te laat")


def test_decision_adopts_an_established_version_of_the_household_plan(ctx):
    version = established_plan_version(ctx.client.household, ctx.membership)
    assert _create(ctx, plan_version=version).plan_version == version


def test_decision_refuses_a_plan_of_another_household_or_a_concept(ctx):
    other = established_plan_version(ClientFactory().household, ctx.membership)
    with pytest.raises(ValidationError) as excinfo:
        _create(ctx, plan_version=other)
    assert "plan_version" in _errors(excinfo)
    concept = established_plan_version(ctx.client.household, ctx.membership)
    PlanVersion.objects.filter(pk=concept.pk).update(
        status="concept", established_on=None, established_by=None, content=None
    )
    concept.refresh_from_db()
    with pytest.raises(ValidationError):
        _create(ctx, plan_version=concept)
