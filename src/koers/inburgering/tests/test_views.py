import uuid
from datetime import date, datetime

import pytest
from django.urls import reverse

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section, TargetGroup
from koers.clients.tests.factories import ClientFactory
from koers.inburgering.constants import DutyStatus, LearningRoute
from koers.inburgering.models import Course, CourseMonth, ExamResult, InburgeringDuty
from koers.profiles.models import LanguageLevel

from .factories import (
    CourseFactory,
    CourseMonthFactory,
    InburgeringDutyFactory,
    assigned_volunteer,
    client_of,
    partner_membership,
)

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "duty",
    "term",
    "extension_add",
    "exemption_add",
    "release_add",
    "course_add",
    "hours",
    "meeting_add",
    "pvt",
    "map",
    "exam_add",
    "ontzorgen_add",
    "enforcement_add",
]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2025, 6, 16, 12, 0), tick=False)


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


@pytest.fixture
def person(regisseur):
    return client_of(
        regisseur,
        given_names="Yonas",
        family_name="Tesfay",
        target_group=TargetGroup.ASIEL,
        housing_date=date(2025, 4, 14),
    )


def url(name, person, *args):
    return reverse(f"inburgering:{name}", args=[person.pk, *args])


def test_the_overview_shows_the_trajectory_and_is_audited(signed_in, regisseur, person):
    InburgeringDutyFactory(client=person, term_starts_on=date(2025, 5, 1))
    course = CourseFactory(client=person, starts_on=date(2025, 5, 5))
    CourseMonthFactory(course=course, month=date(2025, 5, 1), hours_attended=48)
    response = signed_in(regisseur).get(url("overview", person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Inburgeringstraject: Yonas Tesfay" in page
    assert "1 mei 2028" in page and "voorlopig" in page
    assert "Asielstatushouder" in page
    assert response.context["counters"].attended == 48
    row = AuditEvent.objects.get(client_id=person.pk, action=Action.VIEW)
    assert row.sections == Section.BASIS | Section.INBURGERING
    assert row.detail == "inburgering:overview"


def test_every_page_is_404_for_a_client_outside_the_scope(signed_in, regisseur):
    elsewhere = ClientFactory()
    browser = signed_in(regisseur)
    for name in ["overview", *FORM_PAGES]:
        assert browser.get(url(name, elsewhere)).status_code == 404, name


def test_a_volunteer_reaches_no_inburgering_page(signed_in, person):
    volunteer = assigned_volunteer(person)
    browser = signed_in(volunteer)
    assert browser.get(reverse("clients:detail", args=[person.pk])).status_code == 200
    for name in ["overview", *FORM_PAGES]:
        assert browser.get(url(name, person)).status_code == 404, name


def test_a_partner_without_the_inburgering_basis_gets_404(signed_in, person):
    partner = partner_membership(person, sections=Section.BASIS | Section.PROFILE)
    browser = signed_in(partner)
    assert browser.get(url("overview", person)).status_code == 404
    partner_with = partner_membership(person, sections=Section.BASIS | Section.INBURGERING)
    assert signed_in(partner_with).get(url("overview", person)).status_code == 200


def test_every_form_page_opens_and_is_audited(signed_in, regisseur, person):
    CourseFactory(client=person)
    browser = signed_in(regisseur)
    for name in FORM_PAGES:
        response = browser.get(url(name, person))
        assert response.status_code == 200, name
    details = set(AuditEvent.objects.filter(client_id=person.pk).values_list("detail", flat=True))
    assert "inburgering:hours" in details and "inburgering:exam" in details


def test_the_duty_form_saves_and_a_stale_form_gives_the_conflict_page(signed_in, regisseur, person):
    browser = signed_in(regisseur)
    data = {
        "status": DutyStatus.DUTY,
        "duty_start_on": "2025-04-01",
        "start_signal_on": "2025-04-20",
        "municipality_registered_on": "2025-04-14",
        "version": "0",
    }
    response = browser.post(url("duty", person), data)
    assert response.status_code == 302
    assert InburgeringDuty.objects.get(client=person).start_signal_on == date(2025, 4, 20)
    response = browser.post(url("duty", person), {**data, "start_signal_on": "2025-04-21"})
    assert response.status_code == 409
    assert "Iemand anders heeft eerder opgeslagen" in response.content.decode()
    assert InburgeringDuty.objects.get(client=person).start_signal_on == date(2025, 4, 20)


def test_a_rule_shows_its_error_next_to_the_field_in_dutch(signed_in, regisseur, person):
    response = signed_in(regisseur).post(
        url("term", person),
        {"term_starts_on": "2025-05-01", "term_ends_on": "2025-04-01", "version": "0"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["term_ends_on"]
    assert "De termijn moet eindigen na de start." in response.content.decode()


def test_adding_a_course_twice_with_one_form_adds_it_once(signed_in, regisseur, person):
    browser = signed_in(regisseur)
    data = {
        "provider_name": "Taalschool Noord",
        "provider_number": "",
        "provider_bow": "on",
        "course_type": LearningRoute.B1,
        "literacy": "NVT",
        "starts_on": "2025-05-05",
        "ends_on": "",
        "hours_bought": "800",
        "form_token": str(uuid.uuid4()),
    }
    assert browser.post(url("course_add", person), data).status_code == 302
    assert browser.post(url("course_add", person), data).status_code == 302
    assert Course.objects.filter(client=person).count() == 1


def _hours(course, version=0, **values):
    prefix = f"course-{course.pk}"
    data = {
        f"{prefix}-version": str(version),
        f"{prefix}-hours_attended": "0",
        f"{prefix}-hours_remote": "0",
        f"{prefix}-hours_absent": "0",
        f"{prefix}-absence_reason": "",
    }
    data.update({f"{prefix}-{name}": str(value) for name, value in values.items()})
    return data


def test_monthly_hours_for_two_months_add_up(signed_in, regisseur, person):
    course = CourseFactory(client=person, starts_on=date(2025, 3, 3))
    browser = signed_in(regisseur)
    page = browser.get(url("hours", person) + "?maand=2025-03")
    assert page.status_code == 200
    assert [c.pk for c, _form in page.context["rows"]] == [course.pk]
    for month, hours in (("2025-03", 40), ("2025-04", 44)):
        response = browser.post(
            url("hours", person) + f"?maand={month}", _hours(course, hours_attended=hours)
        )
        assert response.status_code == 302
    overview = browser.get(url("overview", person))
    assert overview.context["counters"].attended == 84
    stale = browser.post(
        url("hours", person) + "?maand=2025-03", _hours(course, version=0, hours_attended=41)
    )
    assert stale.status_code == 409
    assert CourseMonth.objects.get(course=course, month=date(2025, 3, 1)).hours_attended == 40


def test_monthly_hours_errors_go_next_to_the_course_field(signed_in, regisseur, person):
    course = CourseFactory(client=person, starts_on=date(2025, 3, 3))
    response = signed_in(regisseur).post(
        url("hours", person) + "?maand=2025-03",
        _hours(course, hours_attended=10, hours_absent=4),
    )
    assert response.status_code == 200
    ((_course, form),) = response.context["rows"]
    assert form.errors["absence_reason"]
    assert "Geef de reden van de afwezigheid." in response.content.decode()
    assert not CourseMonth.objects.exists()


def test_a_month_not_yet_begun_shows_no_form(signed_in, regisseur, person):
    CourseFactory(client=person, starts_on=date(2025, 3, 3))
    response = signed_in(regisseur).get(url("hours", person) + "?maand=2025-08")
    assert response.context["month_in_future"]
    assert 'name="course-' not in response.content.decode()


def test_recording_a_passed_exam_adds_the_language_level(signed_in, regisseur, person):
    browser = signed_in(regisseur)
    response = browser.post(
        url("exam_add", person),
        {
            "part": "SP",
            "level": "B1",
            "result": "geslaagd",
            "no_result_reason": "",
            "exam_on": "2025-06-03",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "het taalniveau is aan het profiel toegevoegd" in response.content.decode()
    assert ExamResult.objects.get(client=person).level == "B1"
    level = LanguageLevel.objects.get(client=person)
    assert (level.skill, level.level, level.source) == ("speaking", "B1", "exam")
    profile = browser.get(reverse("profiles:client", args=[person.pk]))
    assert profile.context["language_levels"]


def test_the_map_page_is_not_there_for_the_onderwijsroute(signed_in, regisseur, person):
    CourseFactory(client=person, onderwijs=True)
    browser = signed_in(regisseur)
    assert browser.get(url("map", person)).status_code == 404
    assert (
        "Geen onderdeel van de onderwijsroute"
        in browser.get(url("overview", person)).content.decode()
    )


def test_the_overview_runs_the_same_queries_for_little_and_much_data(
    signed_in, regisseur, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = client_of(regisseur)
    big = client_of(regisseur)
    CourseMonthFactory(course=CourseFactory(client=small))
    for _ in range(3):
        course = CourseFactory(client=big)
        for m in range(1, 7):
            CourseMonthFactory(course=course, month=date(2024, m, 1))
    browser = signed_in(regisseur)
    browser.get(url("overview", small))  # warm the session and the caches
    counts = []
    for each in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url("overview", each)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_hours_page_runs_the_same_queries_for_one_and_three_courses(signed_in, regisseur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = client_of(regisseur)
    three = client_of(regisseur)
    CourseFactory(client=one)
    for _ in range(3):
        CourseMonthFactory(course=CourseFactory(client=three), month=date(2025, 3, 1))
    browser = signed_in(regisseur)
    browser.get(url("hours", one) + "?maand=2025-03")
    counts = []
    for each in (one, three):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url("hours", each) + "?maand=2025-03").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_dossier_card_renders(rf, regisseur, person):
    from django.template.loader import render_to_string

    from koers.clients.permissions import client_access
    from koers.inburgering.selectors import dossier_card

    InburgeringDutyFactory(client=person, term_ends_on=date(2025, 10, 1))
    context = dossier_card(client_access(regisseur, person), person, today=date(2025, 6, 16))
    html = render_to_string("inburgering/_dossier_card.html", context)
    assert "binnen zes maanden" in html
    assert url("overview", person) in html
    assert (
        render_to_string("inburgering/_dossier_card.html", {"inburgering_card": None}).strip() == ""
    )
