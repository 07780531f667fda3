import json

import pytest
from django.core.management import CommandError, call_command

from koers.instruments.models import ScaleLevel
from koers.instruments.services import current_version

from .factories import ZRM, client_of, instrument, regisseur

pytestmark = pytest.mark.django_db


def anchor(code, value):
    version = current_version(instrument(ZRM))
    return ScaleLevel.objects.get(item__version=version, item__code=code, value=value).anchor


def test_load_zrm_anchors_from_csv(tmp_path):
    path = tmp_path / "ankers.csv"
    path.write_text(
        "domain,level,anchor\n"
        "financien,1,Groeiende complexe schulden.\n"
        'financien,5,"Vrij besteedbaar inkomen, geen schulden."\n'
        "justitie,3,Tekst voor justitie.\n",
        encoding="utf-8",
    )
    call_command("load_zrm_anchors", str(path))
    assert anchor("financien", 1) == "Groeiende complexe schulden."
    assert anchor("financien", 5) == "Vrij besteedbaar inkomen, geen schulden."
    assert anchor("justitie", 3) == "Tekst voor justitie."
    assert anchor("huisvesting", 3) == ""


def test_load_zrm_anchors_from_json(tmp_path):
    path = tmp_path / "ankers.json"
    path.write_text(json.dumps({"huisvesting": {"2": "Dakloos of in de opvang."}}))
    call_command("load_zrm_anchors", str(path), "--instrument-version", "2017")
    assert anchor("huisvesting", 2) == "Dakloos of in de opvang."


def test_load_zrm_anchors_is_all_or_nothing(tmp_path):
    path = tmp_path / "ankers.csv"
    path.write_text("domain,level,anchor\nfinancien,1,Goed\nonbekend,1,Fout\nfinancien,6,Fout\n")
    with pytest.raises(CommandError) as error:
        call_command("load_zrm_anchors", str(path))
    assert "onbekend" in str(error.value) and "6" in str(error.value)
    assert anchor("financien", 1) == ""


def test_load_zrm_anchors_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "ankers.csv"
    path.write_text("domein;niveau;tekst\n")
    with pytest.raises(CommandError):
        call_command("load_zrm_anchors", str(path))


def test_loaded_anchor_texts_guide_the_form(signed_in, tmp_path):
    path = tmp_path / "ankers.json"
    path.write_text(json.dumps({"financien": {"4": "Aan alle verplichtingen wordt voldaan."}}))
    call_command("load_zrm_anchors", str(path))
    actor = regisseur()
    person = client_of(actor)
    page = signed_in(actor).get(f"/metingen/{person.pk}/nieuw/zrm/").text
    assert "4 – Voldoende zelfredzaam: Aan alle verplichtingen wordt voldaan." in page
