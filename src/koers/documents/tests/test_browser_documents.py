from pathlib import Path

import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.documents.models import Document
from koers.profiles.tests.factories import client_of

from .factories import PDF_BYTES

pytestmark = pytest.mark.browser


def test_klantmanager_uploads_a_diploma_evaluation_and_sees_it_listed(
    page, sign_in_browser, assert_accessible, _private_storage_in_tmp
):
    klantmanager = MembershipFactory(klantmanager=True)
    client = client_of(klantmanager, given_names="Yonas", family_name="Tesfay")
    sign_in_browser(page, klantmanager)
    page.goto(f"/documenten/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documenten: Yonas Tesfay")
    expect(page.get_by_text("Er zijn geen documenten die u mag zien.")).to_be_visible()
    assert_accessible(page)

    # A copy of a passport is refused, with the reason, and nothing is stored.
    page.get_by_label("Soort").select_option(label="Anders")
    page.get_by_label("Bestand").set_input_files(
        {"name": "paspoort.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_text("Kopieën van identiteitsbewijzen (paspoort")).to_be_visible()
    assert_accessible(page)
    assert not Document.objects.exists()

    page.get_by_label("Soort").select_option(label="Diplomawaardering")
    page.get_by_label("Bestand").set_input_files(
        {"name": "idw-waardering.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Omschrijving").fill("Waardering IDW, mbo 2")
    page.get_by_role("button", name="Uploaden").click()
    table = page.get_by_test_id("documents")
    expect(table).to_contain_text("Diplomawaardering")
    expect(table).to_contain_text("idw-waardering.pdf")
    expect(table).to_contain_text(klantmanager.organisation.name)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="idw-waardering.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "idw-waardering.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
    assert not page.console_errors
