import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section, TargetGroup
from koers.clients.permissions import ClientAccess, client_access
from koers.clients.services import VersionConflict
from koers.inburgering.constants import (
    MAP_THEME_FIELDS,
    AbsenceReason,
    DutyStatus,
    EnforcementKind,
    ExamPart,
    ExamResultKind,
    ExemptionKind,
    ExemptionReason,
    ExtensionReason,
    LearningRoute,
    NoResultReason,
    Outcome,
    ReleaseGround,
    ReleaseKind,
)
from koers.inburgering.models import (
    Course,
    CourseMonth,
    EnforcementStep,
    ExamResult,
    InburgeringDuty,
    LabourMarketModule,
    Ontzorgen,
    ParticipationStatement,
    TermExtension,
)
from koers.inburgering.services import (
    MonthConflict,
    course_month_save,
    course_save,
    duty_update,
    enforcement_record,
    exam_result_record,
    exemption_record,
    map_save,
    ontzorgen_save,
    progress_meeting_record,
    pvt_save,
    release_record,
    term_extension_record,
)
from koers.profiles.constants import LanguageSkill, LevelSource
from koers.profiles.models import LanguageLevel

from .factories import CourseFactory, CourseMonthFactory, InburgeringDutyFactory, client_of

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2025, 6, 16, 12, 0), tick=False)


@pytest.fixture
def actor():
    membership = MembershipFactory(regisseur=True)
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    client = client_of(membership, target_group=TargetGroup.ASIEL)
    return request, client, client_access(membership, client)


# --- the duty and the term -----------------------------------------------------------------------


def test_duty_is_created_updated_and_audited(actor):
    request, client, access = actor
    duty = duty_update(
        request,
        client=client,
        access=access,
        changes={"status": DutyStatus.DUTY, "start_signal_on": date(2025, 5, 1)},
        version=0,
    )
    assert duty.version == 1
    duty = duty_update(
        request,
        client=client,
        access=access,
        changes={"duty_start_on": date(2025, 4, 1)},
        version=1,
    )
    stored = InburgeringDuty.objects.get(client=client)
    assert (stored.version, stored.status, stored.duty_start_on) == (
        2,
        DutyStatus.DUTY,
        date(2025, 4, 1),
    )
    rows = AuditEvent.objects.filter(client_id=client.pk).order_by("id")
    assert [row.action for row in rows] == [Action.CREATE, Action.UPDATE]
    assert all(row.sections == Section.INBURGERING for row in rows)


def test_a_stale_duty_save_raises_a_conflict_and_writes_nothing(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, version=3, status=DutyStatus.DUTY)
    with pytest.raises(VersionConflict) as conflict:
        duty_update(
            request, client=client, access=access, changes={"status": DutyStatus.MET}, version=2
        )
    assert conflict.value.current.version == 3
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.DUTY
    assert not AuditEvent.objects.filter(client_id=client.pk).exists()


def test_a_double_submit_of_the_duty_saves_once(actor):
    request, client, access = actor
    changes = {"status": DutyStatus.DUTY, "start_signal_on": date(2025, 5, 1)}
    duty_update(request, client=client, access=access, changes=changes, version=0)
    duty_update(request, client=client, access=access, changes=changes, version=0)
    assert InburgeringDuty.objects.get(client=client).version == 1


def test_writes_need_the_inburgering_section(actor):
    request, client, _access = actor
    read_only = ClientAccess(Section.all(), Section.all() & ~Section.INBURGERING, "legal_task")
    with pytest.raises(PermissionDenied):
        duty_update(
            request, client=client, access=read_only, changes={"status": "plichtig"}, version=0
        )
    with pytest.raises(PermissionDenied):
        course_save(request, client=client, access=read_only, course=None, values={})


def test_rule_start_signal_not_in_the_future(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        duty_update(
            request,
            client=client,
            access=access,
            changes={"start_signal_on": TODAY + timedelta(days=1)},
            version=0,
        )
    assert "start_signal_on" in error.value.message_dict


def test_rule_term_ends_after_it_starts(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        duty_update(
            request,
            client=client,
            access=access,
            changes={"term_starts_on": date(2025, 3, 1), "term_ends_on": date(2025, 3, 1)},
            version=0,
        )
    assert "term_ends_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        InburgeringDuty.objects.create(
            client=client, term_starts_on=date(2025, 3, 1), term_ends_on=date(2025, 2, 1)
        )


def test_rule_extension_moves_term_end_later(actor):
    request, client, access = actor
    InburgeringDutyFactory(
        client=client, term_starts_on=date(2022, 3, 1), term_ends_on=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        term_extension_record(
            request,
            client=client,
            access=access,
            reason=ExtensionReason.ILLNESS,
            decided_on=date(2025, 1, 10),
            new_end_on=date(2025, 2, 1),
        )
    assert "new_end_on" in error.value.message_dict
    extension = term_extension_record(
        request,
        client=client,
        access=access,
        reason=ExtensionReason.ILLNESS,
        decided_on=date(2025, 1, 10),
        new_end_on=date(2025, 9, 1),
        note="Ziekte langer dan drie maanden",
    )
    assert extension.previous_end_on == date(2025, 3, 1)
    duty = InburgeringDuty.objects.get(client=client)
    assert duty.term_ends_on == date(2025, 9, 1)
    assert duty.version == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        TermExtension.objects.create(
            client=client,
            reason=ExtensionReason.OTHER,
            decided_on=date(2025, 1, 1),
            new_end_on=date(2025, 1, 1),
            previous_end_on=date(2025, 2, 1),
        )


def test_an_extension_extends_the_provisional_end_without_duo_date(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, term_starts_on=date(2022, 7, 1))
    extension = term_extension_record(
        request,
        client=client,
        access=access,
        reason=ExtensionReason.OTHER,
        decided_on=date(2025, 5, 1),
        new_end_on=date(2025, 12, 1),
    )
    assert extension.previous_end_on == date(2025, 7, 1)


def test_rule_literacy_extension_at_most_two_years(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, term_ends_on=date(2026, 1, 1))
    record = {
        "request": request,
        "client": client,
        "access": access,
        "reason": ExtensionReason.LITERACY,
        "decided_on": date(2025, 5, 1),
    }
    with pytest.raises(ValidationError) as error:
        term_extension_record(**record, new_end_on=date(2028, 1, 2))
    assert "new_end_on" in error.value.message_dict
    term_extension_record(**record, new_end_on=date(2027, 1, 1))
    # A second literacy extension counts from the end before the first one.
    with pytest.raises(ValidationError):
        term_extension_record(**record, new_end_on=date(2028, 1, 2))
    term_extension_record(**record, new_end_on=date(2028, 1, 1))
    assert InburgeringDuty.objects.get(client=client).term_ends_on == date(2028, 1, 1)


def test_rule_not_blameworthy_extension_only_for_asylum_holders(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, term_ends_on=date(2026, 1, 1))
    client.target_group = TargetGroup.GEZIN
    record = {
        "request": request,
        "access": access,
        "reason": ExtensionReason.NOT_BLAMEWORTHY,
        "decided_on": date(2025, 5, 1),
        "new_end_on": date(2026, 6, 1),
    }
    with pytest.raises(ValidationError) as error:
        term_extension_record(client=client, **record)
    assert "reason" in error.value.message_dict
    client.target_group = TargetGroup.NAREIZIGER
    term_extension_record(client=client, **record)


def test_an_extension_submitted_twice_is_recorded_once(actor):
    request, client, access = actor
    token = uuid.uuid4()
    for _ in range(2):
        term_extension_record(
            request,
            client=client,
            access=access,
            reason=ExtensionReason.OTHER,
            decided_on=date(2025, 5, 1),
            new_end_on=date(2028, 1, 1),
            form_token=token,
        )
    assert TermExtension.objects.filter(client=client).count() == 1


# --- vrijstelling and ontheffing ----------------------------------------------------------------


def test_rule_granted_full_vrijstelling_sets_duty_exempt(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client)
    exemption_record(
        request,
        client=client,
        access=access,
        kind=ExemptionKind.FULL,
        outcome=Outcome.REFUSED,
        decided_on=date(2025, 5, 1),
        reason=ExemptionReason.DIP,
    )
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.DUTY
    exemption_record(
        request,
        client=client,
        access=access,
        kind=ExemptionKind.FULL,
        outcome=Outcome.GRANTED,
        decided_on=date(2025, 6, 1),
        reason=ExemptionReason.DIP,
    )
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.EXEMPT


def test_rule_granted_temporary_vrijstelling_sets_duty_temporarily_exempt(actor):
    request, client, access = actor
    exemption_record(
        request,
        client=client,
        access=access,
        kind=ExemptionKind.TEMPORARY,
        outcome=Outcome.GRANTED,
        decided_on=date(2025, 6, 1),
        reason=ExemptionReason.OPL,
        starts_on=date(2025, 6, 1),
        ends_on=date(2026, 6, 1),
    )
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.TEMPORARY_EXEMPT


def test_rule_vrijstelling_reason_matches_kind(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        exemption_record(
            request,
            client=client,
            access=access,
            kind=ExemptionKind.FULL,
            outcome=Outcome.GRANTED,
            decided_on=date(2025, 6, 1),
            reason=ExemptionReason.INS,
            starts_on=date(2025, 6, 1),
        )
    assert set(error.value.message_dict) == {"reason", "ends_on"}


def test_rule_granted_full_ontheffing_sets_duty_released(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client)
    release_record(
        request,
        client=client,
        access=access,
        kind=ReleaseKind.PARTIAL,
        outcome=Outcome.GRANTED,
        decided_on=date(2025, 5, 1),
        ground=ReleaseGround.MEDICAL,
        exam_part=ExamPart.WRITING,
    )
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.DUTY
    release_record(
        request,
        client=client,
        access=access,
        kind=ReleaseKind.FULL,
        outcome=Outcome.GRANTED,
        decided_on=date(2025, 6, 1),
        ground=ReleaseGround.MEDICAL,
    )
    assert InburgeringDuty.objects.get(client=client).status == DutyStatus.RELEASED


def test_rule_only_a_partial_ontheffing_names_an_exam_part(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        release_record(
            request,
            client=client,
            access=access,
            kind=ReleaseKind.FULL,
            outcome=Outcome.GRANTED,
            decided_on=date(2025, 6, 1),
            ground=ReleaseGround.SPECIAL,
            exam_part=ExamPart.KNM,
        )
    assert "exam_part" in error.value.message_dict
    with pytest.raises(ValidationError):
        release_record(
            request,
            client=client,
            access=access,
            kind=ReleaseKind.PARTIAL,
            outcome=Outcome.GRANTED,
            decided_on=date(2025, 6, 1),
            ground=ReleaseGround.SPECIAL,
        )


# --- the course ----------------------------------------------------------------------------------

COURSE = {
    "provider_name": "Taalschool Noord",
    "provider_number": "",
    "provider_bow": True,
    "course_type": LearningRoute.B1,
    "literacy": "NVT",
    "starts_on": date(2025, 1, 6),
    "ends_on": None,
    "hours_bought": 800,
}


def test_a_course_submitted_twice_is_added_once(actor):
    request, client, access = actor
    token = uuid.uuid4()
    first = course_save(
        request, client=client, access=access, course=None, values=COURSE, form_token=token
    )
    second = course_save(
        request, client=client, access=access, course=None, values=COURSE, form_token=token
    )
    assert first.pk == second.pk
    assert Course.objects.filter(client=client).count() == 1


def test_rule_course_ends_after_start(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        course_save(
            request,
            client=client,
            access=access,
            course=None,
            values={**COURSE, "ends_on": date(2025, 1, 1)},
        )
    assert "ends_on" in error.value.message_dict


def test_a_stale_course_edit_raises_a_conflict(actor):
    request, client, access = actor
    course = CourseFactory(client=client)
    course_save(
        request,
        client=client,
        access=access,
        course=course,
        values={**COURSE, "hours_bought": 600},
        version=1,
    )
    with pytest.raises(VersionConflict):
        course_save(
            request,
            client=client,
            access=access,
            course=course,
            values={**COURSE, "hours_bought": 700},
            version=1,
        )
    assert Course.objects.get(pk=course.pk).hours_bought == 600


# --- monthly hours -------------------------------------------------------------------------------


def entry(course, version=0, **hours):
    values = {
        "hours_attended": 0,
        "hours_remote": 0,
        "hours_participation": 0,
        "hours_absent": 0,
        "absence_reason": "",
    }
    values.update(hours)
    return {"course": course, "version": version, **values}


def test_rule_one_row_per_course_per_month(actor):
    request, client, access = actor
    course = CourseFactory(client=client)
    month = date(2025, 3, 1)
    course_month_save(
        request,
        client=client,
        access=access,
        month=month,
        entries=[entry(course, hours_attended=40)],
    )
    course_month_save(
        request,
        client=client,
        access=access,
        month=date(2025, 3, 17),
        entries=[entry(course, version=1, hours_attended=44)],
    )
    rows = CourseMonth.objects.filter(course=course)
    assert [(row.month, row.hours_attended, row.version) for row in rows] == [(month, 44, 2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseMonth.objects.create(course=course, month=month)


def test_rule_no_hours_for_a_month_not_yet_begun(actor):
    request, client, access = actor
    course = CourseFactory(client=client)
    with pytest.raises(ValidationError):
        course_month_save(
            request,
            client=client,
            access=access,
            month=date(2025, 7, 1),
            entries=[entry(course, hours_attended=10)],
        )
    course_month_save(
        request,
        client=client,
        access=access,
        month=date(2025, 6, 1),
        entries=[entry(course, hours_attended=10)],
    )


def test_rule_hours_only_within_course_period(actor):
    request, client, access = actor
    course = CourseFactory(client=client, starts_on=date(2025, 2, 10), ends_on=date(2025, 4, 30))
    for month in (date(2025, 1, 1), date(2025, 5, 1)):
        with pytest.raises(ValidationError) as error:
            course_month_save(
                request,
                client=client,
                access=access,
                month=month,
                entries=[entry(course, hours_attended=10)],
            )
        assert f"course-{course.pk}-hours_attended" in error.value.message_dict


def test_rule_participation_hours_only_on_z_route(actor):
    request, client, access = actor
    b1 = CourseFactory(client=client)
    z = CourseFactory(client=client, z_route=True)
    with pytest.raises(ValidationError) as error:
        course_month_save(
            request,
            client=client,
            access=access,
            month=date(2025, 3, 1),
            entries=[entry(b1, hours_participation=5), entry(z, hours_participation=5)],
        )
    assert list(error.value.message_dict) == [f"course-{b1.pk}-hours_participation"]
    assert not CourseMonth.objects.exists()


def test_rule_remote_hours_part_of_attended_and_absence_needs_a_reason(actor):
    request, client, access = actor
    course = CourseFactory(client=client)
    with pytest.raises(ValidationError) as error:
        course_month_save(
            request,
            client=client,
            access=access,
            month=date(2025, 3, 1),
            entries=[entry(course, hours_attended=10, hours_remote=12, hours_absent=3)],
        )
    assert set(error.value.message_dict) == {
        f"course-{course.pk}-hours_remote",
        f"course-{course.pk}-absence_reason",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseMonth.objects.create(course=course, month=date(2025, 3, 1), hours_absent=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseMonth.objects.create(
            course=course, month=date(2025, 3, 1), hours_attended=2, hours_remote=3
        )


def test_a_month_with_a_stale_row_writes_nothing_at_all(actor):
    request, client, access = actor
    first = CourseFactory(client=client)
    second = CourseFactory(client=client, provider_name="ROC")
    CourseMonthFactory(course=second, month=date(2025, 3, 1), hours_attended=20, version=2)
    with pytest.raises(MonthConflict) as conflict:
        course_month_save(
            request,
            client=client,
            access=access,
            month=date(2025, 3, 1),
            entries=[entry(first, hours_attended=30), entry(second, version=1, hours_attended=25)],
        )
    assert [row.hours_attended for row in conflict.value.rows] == [20]
    assert not CourseMonth.objects.filter(course=first).exists()
    assert not AuditEvent.objects.filter(client_id=client.pk).exists()


def test_empty_entries_add_no_rows_and_the_month_is_audited_once(actor):
    request, client, access = actor
    first = CourseFactory(client=client)
    second = CourseFactory(client=client, provider_name="ROC")
    written = course_month_save(
        request,
        client=client,
        access=access,
        month=date(2025, 3, 1),
        entries=[
            entry(first, hours_attended=30, hours_absent=2, absence_reason=AbsenceReason.ILLNESS),
            entry(second),
        ],
    )
    assert written == 1
    assert not CourseMonth.objects.filter(course=second).exists()
    row = AuditEvent.objects.get(client_id=client.pk)
    assert row.detail == "inburgering:hours:2025-03"


def test_a_course_with_participation_hours_stays_a_z_route_course(actor):
    request, client, access = actor
    course = CourseFactory(client=client, z_route=True)
    CourseMonthFactory(course=course, month=date(2025, 2, 1), hours_participation=10)
    with pytest.raises(ValidationError) as error:
        course_save(
            request,
            client=client,
            access=access,
            course=course,
            values={**COURSE, "starts_on": course.starts_on},
            version=1,
        )
    assert "course_type" in error.value.message_dict


def test_a_progress_meeting_is_recorded_once(actor):
    request, client, access = actor
    token = uuid.uuid4()
    for _ in range(2):
        progress_meeting_record(
            request,
            client=client,
            access=access,
            held_on=date(2025, 6, 2),
            summary="Gaat goed, meer spreken oefenen.",
            form_token=token,
        )
    assert client.inburgering_meetings.count() == 1
    with pytest.raises(ValidationError):
        progress_meeting_record(
            request, client=client, access=access, held_on=date(2025, 6, 20), summary="Plan"
        )


# --- PVT and MAP ---------------------------------------------------------------------------------

PVT = {
    "provider": "VluchtelingenWerk",
    "hours": 12,
    "activities": "Workshops, museum",
    "signed_on": None,
    "blameworthy": None,
}


def test_rule_pvt_signing_needs_12_hours(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        pvt_save(
            request,
            client=client,
            access=access,
            changes={**PVT, "hours": 10, "signed_on": date(2025, 6, 1)},
            version=0,
        )
    assert "hours" in error.value.message_dict
    pvt_save(
        request,
        client=client,
        access=access,
        changes={**PVT, "signed_on": date(2025, 6, 1)},
        version=0,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationStatement.objects.filter(client=client).update(hours=8)


def test_rule_pvt_verwijtbaar_only_after_term_end(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, term_ends_on=date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        pvt_save(
            request,
            client=client,
            access=access,
            changes={**PVT, "signed_on": date(2025, 5, 31), "blameworthy": True},
            version=0,
        )
    assert "blameworthy" in error.value.message_dict
    pvt = pvt_save(
        request,
        client=client,
        access=access,
        changes={**PVT, "signed_on": date(2025, 6, 1), "blameworthy": False},
        version=0,
    )
    assert pvt.blameworthy is False


def test_rule_pvt_verwijtbaar_required_when_signed_after_term_end(actor):
    request, client, access = actor
    InburgeringDutyFactory(client=client, term_starts_on=date(2022, 5, 1))  # provisional end
    with pytest.raises(ValidationError) as error:
        pvt_save(
            request,
            client=client,
            access=access,
            changes={**PVT, "signed_on": date(2025, 6, 2)},
            version=0,
        )
    assert "blameworthy" in error.value.message_dict


MAP = {
    "placement": "Kringloopwinkel",
    "practical_hours": 40,
    **dict.fromkeys(MAP_THEME_FIELDS, True),
    "final_meeting_on": date(2025, 6, 10),
}


def test_rule_map_not_in_onderwijsroute(actor):
    request, client, access = actor
    CourseFactory(client=client, starts_on=date(2024, 1, 8))
    CourseFactory(client=client, onderwijs=True, starts_on=date(2025, 2, 1))
    with pytest.raises(ValidationError):
        map_save(request, client=client, access=access, changes=MAP, version=0)
    assert not LabourMarketModule.objects.exists()


def test_rule_map_final_meeting_needs_40_hours_and_all_themes(actor):
    request, client, access = actor
    CourseFactory(client=client, z_route=True)
    for changes in ({**MAP, "practical_hours": 39}, {**MAP, "theme_networking": False}):
        with pytest.raises(ValidationError) as error:
            map_save(request, client=client, access=access, changes=changes, version=0)
        assert "final_meeting_on" in error.value.message_dict
    module = map_save(request, client=client, access=access, changes=MAP, version=0)
    assert module.themes_done == 8
    with pytest.raises(IntegrityError), transaction.atomic():
        LabourMarketModule.objects.filter(pk=module.pk).update(theme_networking=False)


# --- exams ---------------------------------------------------------------------------------------


def exam(request, client, access, **values):
    return exam_result_record(
        request, client=client, access=access, recorded_by=request.membership, **values
    )


def test_rule_passed_language_exam_feeds_profile_language_level(actor):
    request, client, access = actor
    exam(
        request,
        client,
        access,
        part=ExamPart.SPEAKING,
        level="B1",
        result=ExamResultKind.PASSED,
        exam_on=date(2025, 6, 3),
    )
    level = LanguageLevel.objects.get(client=client)
    assert (level.skill, level.level, level.source, level.assessed_on) == (
        LanguageSkill.SPEAKING,
        "B1",
        LevelSource.EXAM,
        date(2025, 6, 3),
    )
    sections = set(
        AuditEvent.objects.filter(client_id=client.pk).values_list("sections", flat=True)
    )
    assert sections == {Section.INBURGERING, Section.PROFILE}


def test_rule_failed_exam_or_knm_does_not_feed_a_level(actor):
    request, client, access = actor
    exam(
        request,
        client,
        access,
        part=ExamPart.READING,
        level="B1",
        result=ExamResultKind.FAILED,
        exam_on=date(2025, 6, 3),
    )
    exam(
        request,
        client,
        access,
        part=ExamPart.KNM,
        result=ExamResultKind.PASSED,
        exam_on=date(2025, 6, 3),
    )
    exam(
        request,
        client,
        access,
        part=ExamPart.WRITING,
        level="B1",
        result=ExamResultKind.NONE,
        no_result_reason=NoResultReason.ABSENT,
        exam_on=date(2025, 6, 3),
    )
    assert ExamResult.objects.filter(client=client).count() == 3
    assert not LanguageLevel.objects.exists()


def test_rule_knm_has_no_level_and_language_parts_have_one(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        exam(
            request,
            client,
            access,
            part=ExamPart.KNM,
            level="A2",
            result=ExamResultKind.PASSED,
            exam_on=date(2025, 6, 3),
        )
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        exam(
            request,
            client,
            access,
            part=ExamPart.LISTENING,
            result=ExamResultKind.PASSED,
            exam_on=date(2025, 6, 3),
        )
    assert "level" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamResult.objects.create(
            client=client,
            part=ExamPart.KNM,
            level="B1",
            result=ExamResultKind.PASSED,
            exam_on=date(2025, 6, 3),
        )


def test_rule_exam_reason_only_without_result(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        exam(
            request,
            client,
            access,
            part=ExamPart.KNM,
            result=ExamResultKind.NONE,
            exam_on=date(2025, 6, 3),
        )
    assert "no_result_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        exam(
            request,
            client,
            access,
            part=ExamPart.KNM,
            result=ExamResultKind.PASSED,
            no_result_reason=NoResultReason.ABSENT,
            exam_on=date(2025, 6, 3),
        )
    assert "no_result_reason" in error.value.message_dict


def test_rule_passed_language_exam_needs_profile_write(actor):
    request, client, _access = actor
    no_profile = ClientAccess(Section.all(), Section.all() & ~Section.PROFILE, "legal_task")
    with pytest.raises(ValidationError) as error:
        exam(
            request,
            client,
            no_profile,
            part=ExamPart.SPEAKING,
            level="A2",
            result=ExamResultKind.PASSED,
            exam_on=date(2025, 6, 3),
        )
    assert "result" in error.value.message_dict
    assert not ExamResult.objects.exists()
    exam(
        request,
        client,
        no_profile,
        part=ExamPart.SPEAKING,
        level="A2",
        result=ExamResultKind.FAILED,
        exam_on=date(2025, 6, 3),
    )


def test_the_same_exam_result_twice_is_recorded_once(actor):
    request, client, access = actor
    values = {
        "part": ExamPart.SPEAKING,
        "level": "B1",
        "result": ExamResultKind.PASSED,
        "exam_on": date(2025, 6, 3),
    }
    exam(request, client, access, **values)
    exam(request, client, access, **values)
    assert ExamResult.objects.count() == 1
    assert LanguageLevel.objects.count() == 1
    with pytest.raises(ValidationError):
        exam(request, client, access, **{**values, "result": ExamResultKind.FAILED})


# --- ontzorgen and enforcement -------------------------------------------------------------------

ONTZORGEN = {
    "starts_on": date(2025, 1, 1),
    "ends_on": date(2025, 6, 30),
    "pays_rent": True,
    "pays_energy_water": True,
    "pays_health_insurance": False,
    "pays_other": False,
    "other_description": "",
    "financial_training": True,
}


def test_rule_ontzorgen_periods_do_not_overlap(actor):
    request, client, access = actor
    period = ontzorgen_save(request, client=client, access=access, period=None, values=ONTZORGEN)
    with pytest.raises(ValidationError) as error:
        ontzorgen_save(
            request,
            client=client,
            access=access,
            period=None,
            values={**ONTZORGEN, "starts_on": date(2025, 6, 1), "ends_on": None},
        )
    assert "starts_on" in error.value.message_dict
    ontzorgen_save(
        request,
        client=client,
        access=access,
        period=None,
        values={**ONTZORGEN, "starts_on": date(2025, 7, 1), "ends_on": None},
    )
    ontzorgen_save(
        request,
        client=client,
        access=access,
        period=period,
        values={**ONTZORGEN, "ends_on": date(2025, 5, 31)},
        version=1,
    )
    assert Ontzorgen.objects.get(pk=period.pk).version == 2


def test_rule_ontzorgen_names_other_costs_and_pays_something(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        ontzorgen_save(
            request,
            client=client,
            access=access,
            period=None,
            values={**ONTZORGEN, "pays_other": True},
        )
    assert "other_description" in error.value.message_dict
    nothing = dict.fromkeys(
        [
            "pays_rent",
            "pays_energy_water",
            "pays_health_insurance",
            "pays_other",
            "financial_training",
        ],
        False,
    )
    with pytest.raises(ValidationError) as error:
        ontzorgen_save(
            request,
            client=client,
            access=access,
            period=None,
            values={**ONTZORGEN, **nothing},
        )
    assert "pays_rent" in error.value.message_dict


def test_rule_fine_only_after_warning(actor):
    request, client, access = actor
    fine = {
        "kind": EnforcementKind.FINE,
        "on": date(2025, 6, 1),
        "reason": "Niet verschenen",
        "amount": Decimal("250.00"),
        "decision_reference": "HH-2025-01",
    }
    with pytest.raises(ValidationError) as error:
        enforcement_record(request, client=client, access=access, **fine)
    assert "kind" in error.value.message_dict
    enforcement_record(
        request,
        client=client,
        access=access,
        kind=EnforcementKind.WARNING,
        on=date(2025, 5, 1),
        reason="Niet verschenen bij intake",
    )
    step = enforcement_record(request, client=client, access=access, **fine)
    assert step.amount == Decimal("250.00")


def test_rule_fine_has_amount_and_decision_and_warning_none(actor):
    request, client, access = actor
    with pytest.raises(ValidationError) as error:
        enforcement_record(
            request,
            client=client,
            access=access,
            kind=EnforcementKind.WARNING,
            on=date(2025, 5, 1),
            reason="x",
            amount=Decimal("10"),
        )
    assert "amount" in error.value.message_dict
    EnforcementStep.objects.create(
        client=client, kind=EnforcementKind.WARNING, on=date(2025, 4, 1), reason="x"
    )
    with pytest.raises(ValidationError) as error:
        enforcement_record(
            request,
            client=client,
            access=access,
            kind=EnforcementKind.FINE,
            on=date(2025, 5, 1),
            reason="x",
        )
    assert set(error.value.message_dict) == {"amount", "decision_reference"}
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementStep.objects.create(
            client=client, kind=EnforcementKind.FINE, on=date(2025, 5, 1), reason="x"
        )
