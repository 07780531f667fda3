"""A regisseur starts a household's first-phase checklist and ticks off tasks; a volunteer
ticks off their own; the functional administrator makes a municipality's template. In Chromium,
with the axe scan on every page."""

import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.checklist.constants import DEFAULT_TASKS
from koers.checklist.models import ChecklistTask, ChecklistTemplate
from koers.clients.tests.factories import ClientFactory

from .factories import client_of, partner_member, regisseur_of

pytestmark = pytest.mark.browser


def test_regisseur_starts_the_checklist_and_ticks_off_tasks(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur, given_names="Amal", family_name="Haddad")
    client.household.name = "Familie Haddad"
    client.household.save()
    regisseur_of(client, regisseur)
    _begeleider, involvement = partner_member(client)
    sign_in_browser(page, regisseur)
    page.goto(f"/checklist/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Checklist eerste fase: Familie Haddad"
    )
    expect(page.get_by_test_id("no-checklist")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Checklist starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist eerste fase starten")
    assert_accessible(page)
    page.get_by_label("Datum huisvesting").fill("2025-09-01")
    page.get_by_role("button", name="Checklist starten").click()
    expect(page.get_by_text("De checklist is gestart.")).to_be_visible()
    tasks = page.get_by_test_id("checklist-tasks")
    expect(tasks.get_by_role("row")).to_have_count(len(DEFAULT_TASKS) + 1)
    expect(page.get_by_test_id("checklist-stuck")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Gedaan Inschrijving BRP op het nieuwe adres").click()
    expect(page.get_by_test_id("checklist-progress")).to_contain_text("1 van 14 taken afgerond")
    expect(page.get_by_test_id("task-1")).to_contain_text("Gedaan")

    page.get_by_role("link", name="Bijwerken Voor- en vroegschoolse educatie (VVE)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Voor- en vroegschoolse educatie (VVE)"
    )
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Niet van toepassing")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("checklist-progress")).to_contain_text("2 van 14 taken afgerond")

    page.get_by_role("link", name="Bijwerken DigiD aanvragen").click()
    page.get_by_label("Status").select_option(label="Bezig")
    page.get_by_label("Eigenaar").select_option(value=f"org:{involvement.organisation_id}")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("task-5")).to_contain_text(involvement.organisation.name)
    expect(page.get_by_test_id("task-5")).to_contain_text("Bezig")

    brp = ChecklistTask.objects.get(position=1)
    assert (brp.status, brp.done_by) == ("gedaan", regisseur)
    assert ChecklistTask.objects.get(position=13).status == "nvt"
    assert not page.console_errors


def test_volunteer_ticks_off_own_task_on_a_phone(phone_page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur)
    volunteer, involvement = partner_member(client, volunteer=True)
    from django.test import RequestFactory

    from koers.checklist.services import checklist_start
    from koers.clients.permissions import client_access

    request = RequestFactory().post("/")
    request.user, request.membership = regisseur.user, regisseur
    checklist = checklist_start(
        request,
        client=client,
        access=client_access(regisseur, client),
        housing_date=client.created_at.date(),
        started_by=regisseur,
    )
    ChecklistTask.objects.filter(checklist=checklist, position=4).update(
        owner_involvement=involvement
    )
    page = phone_page
    sign_in_browser(page, volunteer)
    page.goto(f"/checklist/{client.pk}/")
    expect(page.get_by_text("U ziet de taken van deze checklist die van u zijn.")).to_be_visible()
    rows = page.get_by_test_id("checklist-tasks").get_by_role("row")
    expect(rows).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Gedaan Bankrekening openen").click()
    expect(page.get_by_test_id("checklist-progress")).to_contain_text("1 van 1 taken afgerond")
    assert ChecklistTask.objects.get(checklist=checklist, position=4).done_by == volunteer


def test_functional_admin_makes_a_municipal_template(page, sign_in_browser, assert_accessible):
    town = ClientFactory().municipality
    sign_in_browser(page, MembershipFactory(functional_admin=True))
    page.goto("/checklist/beheer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklistsjablonen")
    assert_accessible(page)
    page.get_by_role("link", name="Eerste fase (standaard)").click()
    expect(page.get_by_test_id("template-tasks").get_by_role("row")).to_have_count(
        len(DEFAULT_TASKS) + 1
    )
    assert_accessible(page)

    page.goto("/checklist/beheer/")
    page.get_by_role("link", name="Nieuw sjabloon voor een gemeente").click()
    assert_accessible(page)
    page.get_by_label("Gemeente").select_option(label=town.name)
    page.get_by_label("Naam").fill(f"Eerste fase {town.name}")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Eerste fase {town.name}")

    page.get_by_role("link", name="Taak toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Kennismaken met het wijkteam")
    page.get_by_label("Standaard eigenaar (optioneel)").select_option(label="Regisseur")
    page.get_by_label("Uiterlijk binnen dagen na de datum huisvesting").fill("21")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("template-tasks")).to_contain_text("Kennismaken met het wijkteam")
    page.get_by_role("button", name="Omhoog Kennismaken met het wijkteam").click()
    page.get_by_role("link", name="Kennismaken met het wijkteam").click()
    assert_accessible(page)
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="Naam sjabloon wijzigen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="Sjabloon verwijderen").click()
    assert_accessible(page)

    template = ChecklistTemplate.objects.get(municipality=town)
    titles = list(template.tasks.order_by("position").values_list("title", flat=True))
    assert titles[-2] == "Kennismaken met het wijkteam"
    assert len(titles) == len(DEFAULT_TASKS) + 1
