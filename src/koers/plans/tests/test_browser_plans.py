import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.plans.constants import ActionStatus, LifeDomain, VersionStatus
from koers.plans.models import Action, PlanVersion

from .conftest import make_world

pytestmark = pytest.mark.browser


def test_regisseur_writes_the_plan_and_the_volunteer_marks_their_action_done(
    page, phone_page, sign_in_browser, assert_accessible
):
    world = make_world()
    due = (timezone.localdate() + timedelta(days=14)).isoformat()

    # The regisseur starts the plan with the help question in the client's words.
    sign_in_browser(page, world.regisseur)
    page.goto(f"/plan/{world.amal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan van aanpak van Familie Haddad")
    assert_accessible(page)
    page.get_by_label("Hulpvraag").fill("Ik wil werk vinden en beter Nederlands leren.")
    page.get_by_role("button", name="Plan starten").click()
    expect(page.get_by_text("Het plan is gestart als concept.")).to_be_visible()
    expect(page.get_by_test_id("plan-version")).to_contain_text("Versie 1: Concept")
    assert_accessible(page)

    # A goal in a life domain, with priority, target score and who it concerns.
    page.get_by_role("link", name="Doel toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doel toevoegen")
    assert_accessible(page)
    page.locator("#id_life_domain").select_option(LifeDomain.WORK_EDUCATION)
    page.get_by_label("Doel", exact=True).fill("Een baan van 20 uur per week")
    page.get_by_label("Hoog").check()
    page.locator("#id_target_score").select_option("4")
    page.get_by_label("Amal Haddad").check()
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()
    goal = page.get_by_test_id("goal")
    expect(goal).to_contain_text("Werk & opleiding")
    expect(goal).to_contain_text("Amal Haddad")

    # Two actions: one for VluchtelingenWerk, one for the volunteer.
    for text, owner in (
        ("Cv opstellen met de jobcoach", f"organisation:{world.vwn.pk}"),
        ("Samen een bibliotheekpas halen", f"involvement:{world.volunteer_involvement.pk}"),
    ):
        page.get_by_role("link", name=re.compile("^Actie toevoegen")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Actie toevoegen")
        assert_accessible(page)
        page.get_by_label("Wat moet er gebeuren").fill(text)
        page.locator("#id_owner").select_option(owner)
        page.locator("#id_due_on").fill(due)
        page.get_by_role("button", name="Actie toevoegen").click()
        expect(page.get_by_text("De actie is toegevoegd.")).to_be_visible()
    rows = page.get_by_test_id("action-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="bibliotheekpas")).to_contain_text("Henk de Boer")
    expect(rows.filter(has_text="Cv opstellen")).to_contain_text(world.vwn.name)
    assert_accessible(page)

    # Establish it with the client.
    page.get_by_role("link", name="Plan vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan vaststellen")
    assert_accessible(page)
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Versie 1 van het plan is vastgesteld.")).to_be_visible()
    expect(page.get_by_test_id("plan-version")).to_contain_text("Vastgesteld op")
    assert PlanVersion.objects.get().status == VersionStatus.ESTABLISHED
    page.get_by_role("link", name="Geschiedenis van de versies").click()
    expect(page.get_by_test_id("history-changes")).to_contain_text("Doel toegevoegd")
    assert_accessible(page)

    # The volunteer, on a phone, sees only their own action, without goal or life domain.
    sign_in_browser(phone_page, world.volunteer)
    phone_page.goto("/plan/mijn-acties/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mijn acties")
    cards = phone_page.get_by_test_id("my-action")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Samen een bibliotheekpas halen")
    expect(cards).to_contain_text("Familie Haddad")
    main = phone_page.locator("main")
    expect(main).not_to_contain_text("Cv opstellen")
    expect(main).not_to_contain_text("Werk & opleiding")
    expect(main).not_to_contain_text("Een baan van 20 uur")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page)

    cards.get_by_role("link", name=re.compile("^Afronden")).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Actie afronden")
    expect(phone_page.locator("main")).not_to_contain_text("Werk & opleiding")
    assert_accessible(phone_page)
    phone_page.get_by_label("Korte toelichting").fill("Pasje gehaald, volgende week samen lezen.")
    phone_page.get_by_role("button", name="Afronden").click()
    expect(phone_page.get_by_text("De actie is afgerond. Dank u wel.")).to_be_visible()
    expect(phone_page.get_by_test_id("no-actions")).to_be_visible()
    expect(phone_page.get_by_test_id("my-closed-actions")).to_contain_text("Gedaan")
    assert_accessible(phone_page)
    done = Action.objects.get(description="Samen een bibliotheekpas halen")
    assert done.status == ActionStatus.DONE and done.closed_by == world.volunteer

    # The regisseur sees it done in the plan.
    page.goto(f"/plan/{world.amal.pk}/")
    expect(page.get_by_test_id("action-row").filter(has_text="bibliotheekpas")).to_contain_text(
        "Gedaan"
    )
    assert_accessible(page)


def test_regisseur_pages_through_own_actions_and_looks_up_the_closed_ones(
    page, sign_in_browser, assert_accessible
):
    from .helpers import add_action, add_goal, start_plan

    world = make_world()
    plan = start_plan(world)
    goal = add_goal(world, plan, description="Een baan van 20 uur per week")
    owner = f"involvement:{world.regisseur_involvement.pk}"
    for number in range(32):
        add_action(world, goal, owner, description=f"Taak {number:02d}", due_in_days=40 - number)
    Action.objects.filter(description__in=["Taak 00", "Taak 01"]).update(
        status=ActionStatus.DONE, closed_on=timezone.localdate()
    )

    sign_in_browser(page, world.regisseur)
    page.goto("/plan/mijn-acties/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn acties")
    rows = page.get_by_test_id("my-action")
    expect(rows).to_have_count(25)
    expect(rows.first).to_contain_text("Taak 31")  # due soonest
    expect(rows.first).to_contain_text("Een baan van 20 uur per week")
    expect(page.locator("main")).not_to_contain_text("Taak 00")
    assert_accessible(page)

    page.get_by_role("link", name="Volgende pagina").click()
    expect(rows).to_have_count(5)
    expect(rows.last).to_contain_text("Taak 02")
    expect(page.get_by_role("link", name="Volgende pagina")).to_have_count(0)
    page.get_by_role("link", name="Vorige pagina").click()
    expect(rows).to_have_count(25)

    page.get_by_role("link", name="Afgesloten acties").click()
    closed = page.get_by_test_id("my-closed-action")
    expect(closed).to_have_count(2)
    expect(closed.first).to_contain_text("Gedaan")
    expect(page.get_by_test_id("my-action")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Open acties").click()
    expect(rows).to_have_count(25)
