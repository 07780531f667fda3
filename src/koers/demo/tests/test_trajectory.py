"""The trajectory part of the demo data (issue 4): inburgering duty, intake, leerbaarheidstoets
and PIP, course and hours, instruments with their summaries, household plans, work and income,
and the first-phase checklist. Checked against the apps' own rules and services."""

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from koers.accounts.models import Membership
from koers.caseload.radar import Kind, household_radar
from koers.checklist.models import Checklist, ChecklistTask
from koers.checklist.selectors import stuck_households
from koers.clients.constants import ApplicableLaw, NetworkRole, Relation
from koers.clients.models import Client
from koers.clients.permissions import client_accesses, clients_visible_to
from koers.demo.services import HUMANITAS, VLUCHTELINGENWERK
from koers.inburgering.constants import AFSCHALEN_HOURS, NO_DUTY_STATUSES
from koers.inburgering.models import (
    Course,
    CourseMonth,
    EnforcementStep,
    ExamResult,
    InburgeringDuty,
)
from koers.inburgering.selectors import has_warning, hour_counters
from koers.instruments.models import (
    ClientInstrumentSummary,
    ClientItemSummary,
    Instrument,
    InstrumentSetting,
    Item,
    Measurement,
    ScaleLevel,
    Score,
)
from koers.instruments.services import can_record, instrument_enabled_for, summaries_recompute
from koers.network.models import Involvement
from koers.organisations.models import Municipality
from koers.pip import rules
from koers.pip.constants import FINAL_STATUSES
from koers.pip.models import Intake, LearnabilityTest, PipDecision
from koers.pip.rules import add_months
from koers.plans.models import Action, Goal, Plan, PlanVersion
from koers.plans.selectors import my_actions, snapshot
from koers.profiles.models import LanguageLevel
from koers.work.models import Benefit, EducationEnrolment, Job

pytestmark = pytest.mark.django_db

TODAY = "2026-03-02"
TODAY_DATE = date.fromisoformat(TODAY)


def run(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    return run("--today", TODAY)


@pytest.fixture
def larger(settings):
    """Rare cases (a route switch, a draft decision, a course not started) for certain."""
    settings.DEMO_MODE = True
    return run("--today", TODAY, "--clients", "800", "--timeline-per-client", "0")


def adults_wi2021():
    return Client.objects.filter(
        household_membership__relation__in=[Relation.HEAD, Relation.PARTNER],
        applicable_law=ApplicableLaw.WI2021,
    )


# --- inburgering and PIP --------------------------------------------------------------------------


def test_every_adult_under_the_wi2021_has_a_duty_and_most_a_pip(demo):
    duties = InburgeringDuty.objects.select_related("client")
    assert set(duties.values_list("client_id", flat=True)) == set(
        adults_wi2021().values_list("id", flat=True)
    )
    statuses = Counter(duties.values_list("status", flat=True))
    assert statuses["plichtig"] > len(duties) / 2
    for duty in duties:
        client = duty.client
        assert duty.duty_start_on == client.permit_date
        assert duty.municipality_registered_on == client.housing_date
        if duty.start_signal_on:
            assert client.housing_date <= duty.start_signal_on <= TODAY_DATE
        if duty.term_ends_on:
            assert duty.term_starts_on < duty.term_ends_on
    adopted = PipDecision.objects.filter(status__in=FINAL_STATUSES)
    with_pip = set(adopted.values_list("client_id", flat=True))
    obliged = duties.filter(status__in=["plichtig", "voldaan"])
    assert len(with_pip) > obliged.count() / 2
    # Nobody exempt or released has a PIP; DUO's term dates follow the first PIP.
    assert not with_pip & set(
        duties.filter(status__in=["vrijgesteld", "ontheven"]).values_list("client_id", flat=True)
    )
    for duty in duties.exclude(term_starts_on=None):
        first = adopted.filter(client=duty.client).order_by("dagtekening").first()
        assert first.dagtekening == duty.term_starts_on


def test_pip_dagtekening_within_about_6_to_14_weeks_of_the_start_signal_some_late(demo):
    weeks = []
    for duty in InburgeringDuty.objects.exclude(start_signal_on=None):
        first = (
            PipDecision.objects.filter(client=duty.client_id, status__in=FINAL_STATUSES)
            .order_by("dagtekening")
            .first()
        )
        if first is not None:
            weeks.append((first.dagtekening - duty.start_signal_on).days / 7)
    assert weeks and min(weeks) >= 5 and max(weeks) <= 15
    assert any(w > 10 for w in weeks) and sum(w <= 10 for w in weeks) > len(weeks) / 2


def previous_in_force(decisions, decision):
    """The person's adopted decision nothing superseded before `decision` was made."""
    earlier = [
        d
        for d in decisions
        if d.pk != decision.pk
        and d.status in FINAL_STATUSES
        and (
            decision.dagtekening is None
            or (d.dagtekening, d.pk) < (decision.dagtekening, decision.pk)
        )
    ]
    superseded = {d.supersedes_id for d in earlier}
    standing = [d for d in earlier if d.pk not in superseded]
    return max(standing, key=lambda d: (d.dagtekening, d.pk)) if standing else None


def test_every_pip_decision_passes_duos_rules(larger):
    decisions = defaultdict(list)
    for decision in PipDecision.objects.select_related("client", "plan_version__plan"):
        decisions[decision.client_id].append(decision)
    duties = {duty.client_id: duty for duty in InburgeringDuty.objects.all()}
    routes = Counter()
    for client_decisions in decisions.values():
        for decision in client_decisions:
            routes[decision.learning_route, decision.level] += 1
            previous = previous_in_force(client_decisions, decision)
            assert decision.supersedes_id == (
                previous.pk if previous and decision.dagtekening else None
            )
            errors = rules.decision_content_errors(
                decision, client=decision.client, previous=previous
            )
            assert errors == {}, (decision, errors)
            if decision.dagtekening is None:
                continue
            earlier = [
                d.dagtekening
                for d in client_decisions
                if d.dagtekening and (d.dagtekening, d.pk) < (decision.dagtekening, decision.pk)
            ]
            errors = rules.decision_date_errors(
                decision.dagtekening,
                duty=duties[decision.client_id],
                earlier_dagtekening=max(earlier, default=None),
                first_dagtekening=min(earlier, default=None),
                is_route_switch=previous is not None
                and decision.learning_route != previous.learning_route,
            )
            assert errors == {}, (decision, errors)
            assert decision.letter and decision.finalised_by.organisation.is_municipal
            version = decision.plan_version
            if version is not None:
                assert version.plan.household_id == decision.client.household_id
                assert version.established_on <= decision.dagtekening
    # Mostly B1; some Z and O routes; no A2 in a first PIP.
    assert routes["B", "B1"] > routes["Z", ""] > 0 and routes["O", ""] > 0
    assert not PipDecision.objects.filter(reason="eerste", level="A2").exists()
    assert PipDecision.objects.filter(reason="leerroutewissel").exists()
    assert PipDecision.objects.filter(status="concept").exists()
    assert PipDecision.objects.exclude(plan_version=None).exists()


def test_intakes_and_learnability_tests_follow_their_rules(demo):
    for test in LearnabilityTest.objects.all():
        assert rules.lbt_errors(test) == {}, test
    assert LearnabilityTest.objects.filter(outcome="niet_haalbaar").exists()
    completed = Intake.objects.filter(status="afgerond")
    assert completed.exists() and Intake.objects.filter(status="concept").exists()
    for intake in completed.prefetch_related("answers", "health_answers"):
        assert intake.proposed_route and intake.completed_on >= intake.started_on
        assert len(intake.answers.all()) == 8 and len(intake.health_answers.all()) == 2
    for decision in PipDecision.objects.exclude(intake=None).select_related("intake"):
        assert decision.intake.client_id == decision.client_id
        assert decision.intake.status == "afgerond"
        assert decision.dagtekening is None or decision.intake.completed_on <= decision.dagtekening


def test_courses_start_after_the_pip_with_hours_per_month_and_some_absence(demo):
    first_pip = {}
    for client_id, day in PipDecision.objects.filter(status__in=FINAL_STATUSES).values_list(
        "client_id", "dagtekening"
    ):
        first_pip[client_id] = min(day, first_pip.get(client_id, day))
    courses = {course.pk: course for course in Course.objects.all()}
    assert courses
    first_course = {}
    for course in courses.values():
        assert first_pip[course.client_id] <= course.starts_on <= TODAY_DATE
        first_course[course.client_id] = min(
            course.starts_on, first_course.get(course.client_id, course.starts_on)
        )
    # Within four months of the PIP (0-4 months), most within two.
    delays = [(day - first_pip[client]).days for client, day in first_course.items()]
    assert max(delays) <= 130 and sum(d <= 60 for d in delays) > len(delays) / 2
    months = CourseMonth.objects.all()
    this_month = TODAY_DATE.replace(day=1)
    for row in months:
        course = courses[row.course_id]
        assert course.starts_on.replace(day=1) <= row.month < this_month
        assert course.ends_on is None or row.month <= course.ends_on
        assert row.hours_remote <= row.hours_attended
        assert bool(row.hours_absent) == bool(row.absence_reason)
        assert not row.hours_participation or course.course_type == "Z"
    assert months.filter(hours_absent__gt=0).exists()
    assert ExamResult.objects.filter(result="geslaagd").exists()
    passed = ExamResult.objects.filter(result="geslaagd").exclude(part="KNM")
    assert LanguageLevel.objects.filter(source="exam").count() == passed.count()


def test_afschalen_only_on_the_b1_route_after_600_counted_hours(larger):
    """An afschalen decision lowers a B1-route PIP to A2 and supersedes the decision in force,
    only once the months that had ended by its dagtekening count 600 hours as the inburgering
    app counts them (class hours at a BoW provider, remote hours for at most half); language
    exams from then on are at A2."""
    afschalen = list(PipDecision.objects.filter(reason="afschalen").select_related("supersedes"))
    assert afschalen
    courses, months = defaultdict(list), defaultdict(list)
    for course in Course.objects.all():
        courses[course.client_id].append(course)
    client_of = {course.pk: course.client_id for cs in courses.values() for course in cs}
    for row in CourseMonth.objects.all():
        months[client_of[row.course_id]].append(row)
    for decision in afschalen:
        on = decision.dagtekening
        assert on is not None and decision.status in FINAL_STATUSES
        assert (decision.learning_route, decision.level) == ("B", "A2")
        previous = decision.supersedes
        assert (previous.learning_route, previous.level) == ("B", "B1")
        assert previous.dagtekening < on
        assert {course.course_type for course in courses[decision.client_id]} == {"B"}
        known = [row for row in months[decision.client_id] if add_months(row.month, 1) <= on]
        counters = hour_counters(courses[decision.client_id], known)
        assert counters.afschalen_hours >= AFSCHALEN_HOURS and counters.afschalen_reached
        exams = ExamResult.objects.filter(client_id=decision.client_id).exclude(part="KNM")
        for exam in exams:
            assert exam.level == ("A2" if exam.exam_on >= on else "B1"), exam
    lowered = {decision.client_id for decision in afschalen}
    assert ExamResult.objects.filter(level="A2").exists()
    assert set(ExamResult.objects.filter(level="A2").values_list("client_id", flat=True)) <= lowered
    assert not PipDecision.objects.filter(level="A2").exclude(reason="afschalen").exists()
    # Not everyone past 600 hours on the B1 route is lowered.
    past = {
        client_id
        for client_id, own in courses.items()
        if {course.course_type for course in own} == {"B"}
        and hour_counters(own, months[client_id]).afschalen_reached
    }
    assert lowered < past


def test_enforcement_only_for_clients_with_a_duty_and_a_fine_only_after_a_warning(demo):
    steps = list(EnforcementStep.objects.all())
    kinds = Counter(step.kind for step in steps)
    assert kinds["waarschuwing"] and kinds["boete"]
    duties = {duty.client_id: duty for duty in InburgeringDuty.objects.all()}
    unexcused = defaultdict(list)
    for client_id, month in CourseMonth.objects.filter(absence_reason="ongeoorloofd").values_list(
        "course__client_id", "month"
    ):
        unexcused[client_id].append(month)
    for step in steps:
        duty = duties.get(step.client_id)
        assert duty is not None and duty.status not in NO_DUTY_STATUSES, step
        assert duty.duty_start_on <= step.on <= TODAY_DATE
        assert duty.municipality_registered_on <= step.on
        step.full_clean()
        if step.kind == "boete":
            # enforcement_record's rule: a warning came first.
            assert has_warning(step.client_id, before=step.on - timedelta(days=1)), step
            assert Decimal(0) < step.amount <= Decimal(800) and step.decision_reference
        else:
            assert step.amount is None and not step.decision_reference
        if "taallessen" in step.reason:
            # Absence from the lessons: after a month with unexcused absence.
            assert any(add_months(month, 1) <= step.on for month in unexcused[step.client_id])
    fines = [step.decision_reference for step in steps if step.kind == "boete"]
    assert len(set(fines)) == len(fines)
    assert len({step.client_id for step in steps}) < len(duties) / 10  # a few clients


# --- instruments ----------------------------------------------------------------------------------


def summary_rows(**only):
    instruments = sorted(
        ClientInstrumentSummary.objects.filter(**only).values_list(
            "client_id",
            "instrument_id",
            "measurement_count",
            "first_on",
            "latest_on",
            "latest_measurement_id",
        )
    )
    items = sorted(
        ClientItemSummary.objects.filter(**only).values_list(
            "client_id",
            "instrument_id",
            "item_code",
            "item_id",
            "section",
            "first_value",
            "first_on",
            "first_measurement_id",
            "latest_value",
            "latest_on",
            "latest_measurement_id",
            "measurement_count",
        )
    )
    return instruments, items


def test_the_demos_instrument_summaries_equal_a_recount(demo):
    generated = summary_rows()
    assert len(generated[0]) > 50 and len(generated[1]) > 500
    for client_id, instrument_id in Measurement.objects.values_list(
        "client_id", "instrument_id"
    ).distinct():
        summaries_recompute(client_id=client_id, instrument_id=instrument_id)
    assert summary_rows() == generated


def test_positive_health_only_where_switched_on_with_summaries_that_equal_a_recount(demo):
    instrument = Instrument.objects.get(code="positieve-gezondheid")
    switched_on = InstrumentSetting.objects.filter(instrument=instrument, enabled=True)
    assert [s.municipality.name for s in switched_on] == ["Lingebroek"]
    assert Municipality.objects.filter(code__startswith="GM99").count() == 3
    measurements = list(
        Measurement.objects.filter(instrument=instrument).select_related(
            "client", "assessor", "version"
        )
    )
    clients = {measurement.client_id for measurement in measurements}
    assert len(clients) >= 5
    for measurement in measurements:
        client = measurement.client
        assert instrument_enabled_for(client, instrument)
        access = client_accesses(measurement.assessor, [client])[client.pk]
        assert can_record(access, measurement.version)  # HEALTH, written by who may write it
    scores = list(Score.objects.filter(measurement__instrument=instrument).select_related("item"))
    assert set(Counter(score.measurement_id for score in scores).values()) == {6}
    assert all(0 <= score.value <= 10 for score in scores)
    flagged = [score for score in scores if score.flag]
    assert 0 < len(flagged) < len(scores)
    # "Wil ik over praten" mostly on the lower marks.
    assert sum(score.value <= 5 for score in flagged) > len(flagged) / 2
    # The summaries are summaries_recompute's.
    generated = summary_rows(instrument=instrument)
    assert len(generated[0]) == len(clients) and len(generated[1]) == 6 * len(clients)
    for client_id in clients:
        summaries_recompute(client_id=client_id, instrument_id=instrument.pk)
    assert summary_rows(instrument=instrument) == generated
    # The demo regisseur in Lingebroek finds a client with more than one conversation.
    regisseur = Membership.objects.get(user__username="regisseur")
    households = set(
        Involvement.objects.active(TODAY_DATE)
        .filter(membership=regisseur, role=NetworkRole.REGISSEUR)
        .values_list("household_id", flat=True)
    )
    mine = Counter(
        measurement.client_id
        for measurement in measurements
        if measurement.client.household_id in households
    )
    assert mine and max(mine.values()) >= 2


def test_measurements_score_every_zrm_domain_within_its_scale_over_two_years(demo):
    levels = defaultdict(set)
    for item_id, value in ScaleLevel.objects.values_list("item_id", "value"):
        levels[item_id].add(value)
    for item_id, value in Score.objects.values_list("item_id", "value"):
        assert value in levels[item_id]
    required = {
        code
        for (code,) in Item.objects.filter(
            version__instrument__code="zrm", required=True
        ).values_list("code")
    }
    assert len(required) == 13
    scored = defaultdict(set)
    for measurement_id, code in Score.objects.filter(
        measurement__instrument__code="zrm"
    ).values_list("measurement_id", "item__code"):
        scored[measurement_id].add(code)
    assert scored and all(required <= codes for codes in scored.values())
    measurements = Measurement.objects.all()
    dates = list(measurements.values_list("measured_on", flat=True))
    assert max(dates) <= TODAY_DATE and min(dates) >= TODAY_DATE - timedelta(days=760)
    corrected = measurements.filter(is_current=False)
    assert corrected.exists()
    for measurement in corrected:
        assert measurement.correction.correction_reason
    # Some clients were last measured more than six months ago (the radar shows it).
    latest = ClientInstrumentSummary.objects.values_list("latest_on", flat=True)
    assert any(day < TODAY_DATE - timedelta(days=183) for day in latest)
    # Scores improve slightly over time: on average the latest ZRM is not below the first.
    zrm = ClientItemSummary.objects.filter(
        instrument__code="zrm", item__required=True, measurement_count__gt=1
    )
    assert sum(r.latest_value - r.first_value for r in zrm) > 0


# --- plans ----------------------------------------------------------------------------------------


def test_every_action_owner_is_in_the_households_network_now(demo):
    active = defaultdict(set)
    organisations = defaultdict(set)
    for involvement in Involvement.objects.active(TODAY_DATE):
        active[involvement.household_id].add(involvement.pk)
        organisations[involvement.household_id].add(involvement.organisation_id)
    household_of = dict(Client.objects.values_list("pk", "household_id"))
    actions = Action.objects.select_related("plan", "owner_involvement")
    assert actions.count() > 200
    roles = Counter()
    for action in actions:
        household = action.plan.household_id
        if action.owner_involvement_id:
            assert action.owner_involvement_id in active[household]
            roles[action.owner_involvement.role] += 1
        elif action.owner_organisation_id:
            assert action.owner_organisation_id in organisations[household]
        else:
            assert household_of[action.owner_client_id] == household
        assert action.goal.plan_id == action.plan_id
    assert roles[NetworkRole.REGISSEUR] and roles[NetworkRole.BEGELEIDER]
    assert roles[NetworkRole.TAALMAATJE] + roles[NetworkRole.VRIJWILLIGER]
    statuses = Counter(actions.values_list("status", flat=True))
    assert set(statuses) == {"open", "bezig", "gedaan", "vervallen"}
    overdue = actions.filter(status__in=["open", "bezig"], due_on__lt=TODAY_DATE)
    assert overdue.exists()


def test_most_households_have_a_plan_with_goals_and_the_content_of_its_version(demo):
    open_households = set(
        Client.objects.filter(status__in=["aangemeld", "actief", "uitgestroomd"]).values_list(
            "household_id", flat=True
        )
    )
    plans = Plan.objects.all()
    assert plans.count() > len(open_households) / 2
    per_plan = Counter(Goal.objects.values_list("plan_id", flat=True))
    assert set(per_plan.values()) <= {2, 3, 4, 5} and len(per_plan) == plans.count()
    statuses = Counter(PlanVersion.objects.values_list("status", flat=True))
    assert {"concept", "vastgesteld", "geevalueerd", "herzien"} <= set(statuses)
    checked = 0
    for plan in plans:
        versions = list(plan.versions.order_by("number"))
        latest = versions[-1]
        if latest.status == "concept":
            assert latest.content is None
            continue
        # The frozen content is the plan as snapshot() writes it, every item open then.
        now = snapshot(plan.pk)
        for item in now["goals"] + now["actions"]:
            item["status"] = "open"
        assert latest.content == now
        checked += 1
    assert checked > plans.count() / 2
    assert PlanVersion.objects.filter(
        status__in=["vastgesteld", "geevalueerd"], review_due_on__lt=TODAY_DATE
    ).exists()


# --- work and checklist ---------------------------------------------------------------------------


def test_work_benefits_jobs_and_enrolments(demo):
    benefits = Benefit.objects.all()
    assert benefits.filter(kind="bijstand", end_on=None).count() > benefits.count() / 2
    reasons = set(benefits.exclude(end_on=None).values_list("end_reason", flat=True))
    assert {"werk_volledig", "werk_deels"} <= reasons
    assert benefits.filter(top_up=True).exists()
    jobs = Job.objects.all()
    assert jobs.filter(kind="betaald", wage_subsidy="lks").exists()
    assert jobs.filter(kind="betaald", wage_subsidy="geen").exists()
    assert jobs.filter(kind="vrijwilligerswerk").exists()
    assert EducationEnrolment.objects.exists()
    for row in [*benefits, *jobs, *EducationEnrolment.objects.all()]:
        row.full_clean()


def test_households_housed_within_a_year_have_a_checklist_partly_done_some_stuck(demo):
    checklists = Checklist.objects.all()
    assert checklists.exists()
    for checklist in checklists:
        assert TODAY_DATE - timedelta(days=365) <= checklist.housing_date <= TODAY_DATE
        assert checklist.started_on <= TODAY_DATE
    tasks = ChecklistTask.objects.select_related("checklist", "owner_involvement")
    assert {"open", "gedaan", "nvt"} <= set(tasks.values_list("status", flat=True))
    for task in tasks:
        task.full_clean()
        if task.owner_involvement_id:
            assert task.owner_involvement.household_id == task.checklist.household_id
    stuck = stuck_households(checklists.values_list("household_id", flat=True), TODAY_DATE)
    assert 0 < len(stuck) < checklists.count()


# --- what the demo accounts find ------------------------------------------------------------------


def test_the_demo_regisseur_finds_plans_pips_measurements_and_radar_signals(demo):
    regisseur = Membership.objects.get(user__username="regisseur")
    households = set(
        Involvement.objects.active(TODAY_DATE)
        .filter(membership=regisseur, role=NetworkRole.REGISSEUR)
        .values_list("household_id", flat=True)
    )
    actions = Action.objects.filter(plan__household_id__in=households)
    assert Plan.objects.filter(household_id__in=households).count() >= len(households) - 1
    assert actions.filter(owner_involvement__organisation__name=VLUCHTELINGENWERK).exists()
    assert actions.filter(owner_involvement__membership__user__username="vrijwilliger").exists()
    clients = Client.objects.filter(household_id__in=households)
    assert PipDecision.objects.filter(client__in=clients, status__in=FINAL_STATUSES).exists()
    counts = Counter(
        Measurement.objects.filter(client__in=clients).values_list("client_id", "instrument_id")
    )
    assert max(counts.values()) >= 2  # a progress chart with a line


def test_the_volunteer_finds_own_actions_in_mijn_acties(settings):
    settings.DEMO_MODE = True
    run()  # today: the volunteer's access runs from the assignment until today
    volunteer = Membership.objects.get(user__username="vrijwilliger")
    mine = my_actions(volunteer, today=timezone.localdate())
    assert mine.tasks_only and mine.open_rows


def test_the_radar_shows_every_kind_of_trajectory_signal_somewhere_in_the_demo(larger):
    regio = Membership.objects.get(user__username="regio")
    clients = list(clients_visible_to(regio))
    radar = household_radar(clients, client_accesses(regio, clients), TODAY_DATE)
    kinds = {signal.kind for signals in radar.signals.values() for signal in signals}
    assert {
        Kind.ACTION_OVERDUE,
        Kind.REVIEW_DUE,
        Kind.MEASUREMENT_OLD,
        Kind.PIP_NORM,
        Kind.COURSE_NOT_STARTED,
        Kind.ABSENCE,
    } <= kinds


def test_humanitas_volunteers_own_actions_only_in_households_they_are_assigned_to(demo):
    for action in Action.objects.filter(
        owner_involvement__organisation__name=HUMANITAS
    ).select_related("owner_involvement", "plan"):
        assert action.owner_involvement.household_id == action.plan.household_id
        assert action.owner_involvement.role in (NetworkRole.TAALMAATJE, NetworkRole.VRIJWILLIGER)


# --- volume, determinism, the foreign keys --------------------------------------------------------


def foreign_keys() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
            "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_foreign_keys_are_checked_once_and_are_back_after_the_build(settings):
    settings.DEMO_MODE = True
    if connection.vendor != "postgresql":
        # SQLite keeps its keys during the build: enforcement is still on afterwards.
        run("--today", TODAY, "--clients", "100", "--timeline-per-client", "1")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        return
    before = foreign_keys()
    assert any(table == "instruments_score" for table, *_rest in before)
    run("--today", TODAY, "--clients", "100", "--timeline-per-client", "1")
    assert foreign_keys() == before
    # A row pointing nowhere is refused again.
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(measurement_id=10**9, item=Item.objects.first(), value=1)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_measurements_and_actions_scale_per_client(settings):
    settings.DEMO_MODE = True
    output = run(
        "--today",
        TODAY,
        "--clients",
        "400",
        "--timeline-per-client",
        "0",
        "--measurements-per-client",
        "10",
        "--actions-per-client",
        "5",
    )
    assert 3400 <= Measurement.objects.count() <= 4600
    assert 1700 <= Action.objects.count() <= 2300
    assert f"{Measurement.objects.count()} measurements" in output
    assert f"{Action.objects.count()} actions" in output


def trajectory_digest() -> str:
    rank = {
        pk: n for n, pk in enumerate(Client.objects.order_by("pk").values_list("pk", flat=True))
    }
    rows = [
        [
            (rank[c], *rest)
            for c, *rest in Measurement.objects.order_by("pk").values_list(
                "client_id", "instrument__code", "measured_on", "is_current"
            )
        ],
        list(
            Score.objects.order_by("measurement_id", "item_id").values_list("value", "flag", "note")
        ),
        list(Action.objects.order_by("pk").values_list("description", "due_on", "status")),
        [
            (rank[c], *rest)
            for c, *rest in PipDecision.objects.order_by("pk").values_list(
                "client_id", "learning_route", "level", "dagtekening", "status"
            )
        ],
        list(CourseMonth.objects.order_by("pk").values_list("month", "hours_attended")),
        [
            (rank[c], *rest)
            for c, *rest in EnforcementStep.objects.order_by("pk").values_list(
                "client_id", "kind", "on", "amount", "decision_reference"
            )
        ],
        list(Benefit.objects.order_by("pk").values_list("kind", "start_on", "end_reason")),
        list(ChecklistTask.objects.order_by("pk").values_list("title", "status", "done_on")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generated(*args) -> str:
    with transaction.atomic():
        run(*args, "--timeline-per-client", "0")
        result = trajectory_digest()
        transaction.set_rollback(True)
    return result


def test_same_seed_and_today_give_the_same_trajectory(settings):
    settings.DEMO_MODE = True
    first = generated("--seed", "3", "--today", TODAY)
    assert first == generated("--seed", "3", "--today", TODAY)
    assert first != generated("--seed", "4", "--today", TODAY)
