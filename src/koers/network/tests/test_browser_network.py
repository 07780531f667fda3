import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import ClientLanguage
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.network.models import Consent, Involvement
from koers.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


def test_regisseur_builds_the_network_records_consent_and_hands_over(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(
        regisseur=True, user=UserFactory(first_name="Sanne", last_name="Bakker")
    )
    colleague = MembershipFactory(
        regisseur=True,
        organisation=regisseur.organisation,
        user=UserFactory(first_name="Joris", last_name="Smit"),
    )
    town = regisseur.organisation.municipalities.get()
    household = HouseholdFactory(municipality=town, name="Familie Haddad")
    amal = ClientFactory(household=household, given_names="Amal", family_name="Haddad")
    ClientLanguage.objects.create(client=amal, language="ar", is_mother_tongue=True)
    InvolvementFactory(
        household=household,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
        start_date=timezone.localdate() - timedelta(days=60),
    )
    vwn = OrganisationFactory(partner=True, name="VluchtelingenWerk")
    coach = MembershipFactory(
        begeleider=True, organisation=vwn, user=UserFactory(first_name="Eva", last_name="Vos")
    )
    humanitas = OrganisationFactory(partner=True, name="Humanitas")
    volunteer = MembershipFactory(
        vrijwilliger=True,
        organisation=humanitas,
        user=UserFactory(first_name="Henk", last_name="de Boer"),
    )

    sign_in_browser(page, regisseur)
    page.goto(f"/netwerk/{amal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Netwerk van Familie Haddad")
    assert_accessible(page)

    # A VluchtelingenWerk begeleider: choosing the organisation reloads the people (htmx).
    page.get_by_role("link", name="Toevoegen aan het netwerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toevoegen aan het netwerk")
    assert_accessible(page)
    page.locator("#id_organisation").select_option(str(vwn.pk))
    expect(page.locator("#id_membership option", has_text="Eva Vos")).to_have_count(1)
    page.locator("#id_membership").select_option(str(coach.pk))
    page.locator("#id_role").select_option(NetworkRole.BEGELEIDER)
    page.locator("#id_phone").fill("0612345678")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_text("De betrokkenheid is toegevoegd aan het netwerk.")).to_be_visible()
    expect(page.get_by_role("cell", name="Eva Vos")).to_be_visible()

    # A Humanitas volunteer with a task profile (no contact details).
    page.get_by_role("link", name="Toevoegen aan het netwerk").click()
    page.locator("#id_organisation").select_option(str(humanitas.pk))
    expect(page.locator("#id_membership option", has_text="Henk de Boer")).to_have_count(1)
    page.locator("#id_membership").select_option(str(volunteer.pk))
    page.locator("#id_role").select_option(NetworkRole.VRIJWILLIGER)
    page.locator('input[name="task_sections"][value="CONTACT"]').uncheck()
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_role("cell", name="Henk de Boer")).to_be_visible()
    assert_accessible(page)
    helper = Involvement.objects.get(membership=volunteer)
    assert Section.CONTACT not in Section(helper.task_sections)
    assert Section.BASIS in Section(helper.task_sections)

    # Consent for a language buddy, and the printable form.
    page.get_by_role("link", name="Toestemmingen van Amal Haddad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemmingen van Amal Haddad")
    assert_accessible(page)
    page.locator("#id_organisation").select_option(str(humanitas.pk))
    page.locator("#id_purpose").select_option("taalmaatje")
    for name in ("BASIS", "CONTACT", "LANGUAGES"):
        page.locator(f'input[name="sections"][value="{name}"]').check()
    page.locator("#id_explained_in_language").select_option("ar")
    page.get_by_label("Met een tolk").check()
    page.locator("#id_how_given").select_option("signed")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    assert Consent.objects.get().organisation == humanitas
    page.get_by_role("link", name=re.compile("Afdrukbaar formulier")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemmingsformulier")
    expect(page.get_by_test_id("needs-translation")).to_contain_text("beëdigde vertaling")
    form = page.get_by_test_id("consent-form")
    expect(form).to_contain_text("Gekoppeld worden aan een taalmaatje")
    expect(form).to_contain_text("Humanitas")
    expect(form).to_contain_text("Handtekening")
    assert_accessible(page)
    page.get_by_role("link", name="English version").click()
    expect(page.get_by_test_id("consent-form")).to_contain_text("Signature")
    assert_accessible(page)

    # Hand the regie over with a note.
    page.goto(f"/netwerk/{amal.pk}/")
    page.get_by_role("link", name="Regie overdragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regie overdragen")
    assert_accessible(page)
    page.locator("#id_membership").select_option(str(colleague.pk))
    page.locator("#id_note").fill("Ik ga met verlof; Eva Vos kent het gezin goed.")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_text("De regie is overgedragen.")).to_be_visible()
    active = page.get_by_test_id("involvements-active")
    expect(active.get_by_role("cell", name="Joris Smit")).to_be_visible()
    expect(active.get_by_role("cell", name="Sanne Bakker")).to_have_count(0)
    assert_accessible(page)
    assert not page.console_errors
