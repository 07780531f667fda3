"""The privacy officer's walk: the log, a filter on a client, the CSV export and a
break-the-glass review, in real Chromium with an axe scan on every page."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.models import BreakGlassAccess
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.organisations.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(signed_in):
    """A regisseur who viewed a client in their own municipality, and one outside it through
    break-the-glass; both through real requests, so the log holds what the app wrote."""
    town, neighbour = MunicipalityFactory(name="Lingewaard-test"), MunicipalityFactory()
    gemeente = OrganisationFactory(
        name="Gemeente Lingewaard-test", municipalities=[town, neighbour]
    )
    regisseur = MembershipFactory(
        regisseur=True, organisation=gemeente, user=UserFactory(username="r.jansen")
    )
    regisseur.municipalities.add(town)
    own_client = ClientFactory(household=HouseholdFactory(municipality=town))
    other_client = ClientFactory(household=HouseholdFactory(municipality=neighbour))
    browser = signed_in(regisseur)
    assert browser.get(reverse("clients:detail", args=[own_client.pk])).status_code == 200
    response = browser.post(
        reverse("clients:break_glass"),
        {"client_number": other_client.pk, "reason": "Collega ziek, termijn verloopt vandaag."},
        follow=True,
    )
    assert response.status_code == 200
    officer = MembershipFactory(privacy_officer=True, organisation=gemeente)
    return {
        "own_client": own_client,
        "grant": BreakGlassAccess.objects.get(client=other_client),
        "officer": officer,
    }


def test_privacy_officer_reads_filters_exports_and_reviews(
    page, sign_in_browser, assert_accessible, scene
):
    own_client, grant = scene["own_client"], scene["grant"]
    sign_in_browser(page, scene["officer"])
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(reverse("audit:log"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditlog")
    assert_accessible(page)

    page.get_by_label("Cliëntnummer").fill(str(own_client.pk))
    page.get_by_role("button", name="Filteren").click()
    table = page.get_by_test_id("audit-table")
    view_row = table.get_by_role("row").filter(has_text="Ingezien")
    expect(view_row).to_have_count(1)
    for text in (
        "r.jansen",
        "Regisseur",
        "Wettelijke taak van de gemeente",
        "Basisgegevens",
        "Netwerk (wie doet wat)",
        str(own_client.pk),
    ):
        expect(view_row).to_contain_text(text)
    expect(table).not_to_contain_text(own_client.family_name)
    assert_accessible(page)

    today = timezone.localdate().isoformat()
    page.get_by_label("Van").fill(today)
    page.get_by_label("Tot en met").fill(today)
    page.get_by_role("button", name="Filteren").click()
    expect(view_row).to_have_count(1)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren als CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("auditlog-")
    with open(download.path(), encoding="utf-8") as handle:
        body = handle.read()
    assert body.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(body[1:])))
    assert header[:3] == ["Tijdstip", "Gebruiker", "Organisatie"]
    assert [(row[1], row[5], row[7]) for row in rows] == [
        ("r.jansen", "Ingezien", str(own_client.pk))
    ]
    export = AuditEvent.objects.get(action=Action.AUDIT_EXPORT)
    assert export.client_id == own_client.pk

    page.get_by_role("link", name="Beoordeling noodtoegang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordeling noodtoegang")
    expect(page.get_by_test_id("break-glass-table")).to_contain_text("Nog niet beoordeeld")
    assert_accessible(page)

    page.get_by_role("link", name=f"Noodtoegang {grant.pk} beoordelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Noodtoegang {grant.pk}")
    expect(page.get_by_test_id("grant-activity")).to_contain_text("Ingezien")
    expect(page.get_by_text("Collega ziek, termijn verloopt vandaag.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Markeren als beoordeeld").click()
    expect(page.get_by_text("Schrijf een opmerking bij uw beoordeling.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Opmerking").fill("Reden is voldoende; toegang was nodig.")
    page.get_by_role("button", name="Markeren als beoordeeld").click()
    expect(page.get_by_text("De noodtoegang is gemarkeerd als beoordeeld.")).to_be_visible()
    assert_accessible(page)

    grant.refresh_from_db()
    assert grant.reviewed_by == scene["officer"].user
    assert grant.review_remark == "Reden is voldoende; toegang was nodig."
    assert not failed


def test_privacy_pages_fit_a_phone(phone_page, sign_in_browser, assert_accessible, scene):
    sign_in_browser(phone_page, scene["officer"])
    for url, heading in (
        (reverse("audit:log"), "Auditlog"),
        (reverse("audit:break_glass_list"), "Beoordeling noodtoegang"),
        (
            reverse("audit:break_glass_detail", args=[scene["grant"].pk]),
            f"Noodtoegang {scene['grant'].pk}",
        ),
    ):
        phone_page.goto(url)
        expect(phone_page.get_by_role("heading", level=1)).to_have_text(heading)
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert phone_page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert_accessible(phone_page)
