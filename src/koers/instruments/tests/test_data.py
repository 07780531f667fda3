"""The instruments are shipped as data: what the migration loaded, and that a new version is a
new file and no code change."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from koers.clients.constants import Section
from koers.instruments.constants import ChartKind, ItemKind
from koers.instruments.loader import data_files, load_instrument_files, validate_instrument_data
from koers.instruments.models import Instrument, InstrumentVersion, Item, ScaleLevel
from koers.instruments.services import current_version

from .factories import LADDER, PG, ZRM, instrument

pytestmark = pytest.mark.django_db

ZRM_DOMAINS = [
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def test_zrm_2017_has_13_required_domains_scored_1_to_5_with_the_dutch_labels():
    version = current_version(instrument(ZRM))
    assert version.label == "2017"
    domains = list(version.items.filter(kind=ItemKind.SCORE).order_by("order"))
    assert [d.name for d in domains] == ZRM_DOMAINS
    assert all(d.required for d in domains)
    for domain in domains:
        assert [(lv.value, lv.label) for lv in domain.levels.order_by("value")] == [
            (1, "Acute problematiek"),
            (2, "Niet zelfredzaam"),
            (3, "Beperkt zelfredzaam"),
            (4, "Voldoende zelfredzaam"),
            (5, "Volledig zelfredzaam"),
        ]
    # Koers ships names and labels only: the licensed anchor texts are empty.
    assert not ScaleLevel.objects.filter(item__version=version).exclude(anchor="").exists()


def test_zrm_health_addiction_and_justice_domains_belong_to_their_sections():
    version = current_version(instrument(ZRM))
    by_name = {item.name: Section(item.section) for item in version.items.filter(kind="score")}
    assert by_name["Geestelijke gezondheid"] == Section.HEALTH
    assert by_name["Lichamelijke gezondheid"] == Section.HEALTH
    assert by_name["Middelengebruik"] == Section.HEALTH
    assert by_name["Justitie"] == Section.JUSTICE
    others = set(ZRM_DOMAINS) - {
        "Geestelijke gezondheid",
        "Lichamelijke gezondheid",
        "Middelengebruik",
        "Justitie",
    }
    assert {by_name[name] for name in others} == {Section.MEASUREMENTS}


def test_zrm_records_the_zwaartefactoren_with_dutch_per_skill_and_ntb():
    version = current_version(instrument(ZRM))
    factors = {item.code: item for item in version.items.filter(kind=ItemKind.FACTOR)}
    assert set(factors) == {
        "zorgverzekering",
        "cognitieve-capaciteit",
        "taal-spreken",
        "taal-lezen",
        "taal-schrijven",
        "taal-verstaan",
        "digitale-vaardigheden",
        "verplaatsen-buitenshuis",
        "ontheffing-arbeidsplicht",
        "zorg-voor-kinderen",
    }
    assert not any(item.required for item in factors.values())
    for skill in ("spreken", "lezen", "schrijven", "verstaan"):
        labels = factors[f"taal-{skill}"].levels.values_list("label", flat=True)
        assert "n.t.b." in labels


def test_participation_ladder_has_6_named_rungs_and_a_growth_potential():
    version = current_version(instrument(LADDER))
    rung = version.items.get(code="trede")
    assert [lv.label for lv in rung.levels.order_by("value")] == [
        "Geïsoleerd",
        "Sociale contacten buitenshuis",
        "Deelname aan georganiseerde activiteiten",
        "Onbetaald werk",
        "Betaald werk met ondersteuning",
        "Betaald werk",
    ]
    potential = version.items.get(code="groeipotentieel")
    assert potential.kind == ItemKind.POTENTIAL and potential.potential_of == rung
    assert Section(rung.section) == Section.MEASUREMENTS
    assert instrument(LADDER).chart == ChartKind.LINE


def test_positieve_gezondheid_is_an_optional_health_module_of_6_dimensions_0_to_10():
    pg = instrument(PG)
    assert pg.optional and Section(pg.section) == Section.HEALTH
    version = current_version(pg)
    assert version.flag_label == "Wil ik over praten"
    dimensions = list(version.items.order_by("order"))
    assert [d.name for d in dimensions] == [
        "Lichaamsfuncties",
        "Mentaal welbevinden",
        "Zingeving",
        "Kwaliteit van leven",
        "Meedoen",
        "Dagelijks functioneren",
    ]
    for dimension in dimensions:
        assert Section(dimension.section) == Section.HEALTH
        assert list(dimension.levels.values_list("value", flat=True)) == list(range(11))


def test_loading_the_shipped_files_again_changes_nothing():
    counts = (InstrumentVersion.objects.count(), Item.objects.count(), ScaleLevel.objects.count())
    assert load_instrument_files() == 0  # unchanged files are skipped by their fingerprint
    InstrumentVersion.objects.update(source_hash="")
    assert load_instrument_files() == len(data_files())  # forced: loads, adds nothing
    assert (
        InstrumentVersion.objects.count(),
        Item.objects.count(),
        ScaleLevel.objects.count(),
    ) == counts


def test_a_new_instrument_version_is_a_data_file_and_no_code_change(tmp_path):
    zrm_file = next(path for path in data_files() if path.name.startswith("zrm"))
    data = json.loads(zrm_file.read_text())
    data["version"].update(label="2030", valid_from="2030-01-01")
    data["items"][0]["name"] = "Geldzaken"
    new_file = tmp_path / "zrm-2030.json"
    new_file.write_text(json.dumps(data))
    assert load_instrument_files(paths=[new_file]) == 1
    zrm = instrument(ZRM)
    assert current_version(zrm, date(2029, 12, 31)).label == "2017"
    newer = current_version(zrm, date(2030, 1, 1))
    assert newer.label == "2030"
    assert newer.items.get(code="financien").name == "Geldzaken"
    assert Instrument.objects.filter(code=ZRM).count() == 1


def test_anchor_texts_loaded_by_a_licence_holder_survive_a_reload():
    level = ScaleLevel.objects.get(
        item__version=current_version(instrument(ZRM)), item__code="financien", value=3
    )
    ScaleLevel.objects.filter(pk=level.pk).update(anchor="Licensed text")
    InstrumentVersion.objects.update(source_hash="")
    load_instrument_files()
    level.refresh_from_db()
    assert level.anchor == "Licensed text"


@pytest.mark.parametrize(
    "broken",
    [
        {"items": [{"code": "a", "name": "A", "section": "nowhere", "scale": "s"}]},
        {"items": [{"code": "a", "name": "A", "section": "health", "scale": "missing"}]},
        {
            "items": [
                {"code": "a", "name": "A", "section": "health", "scale": "s", "kind": "potential"}
            ]
        },
    ],
)
def test_a_data_file_that_would_load_half_is_refused(broken):
    data = {
        "instrument": {"code": "x", "name": "X", "section": "measurements"},
        "version": {"label": "1", "valid_from": "2020-01-01"},
        "scales": {"s": [{"value": 1, "label": "een"}]},
        **broken,
    }
    with pytest.raises(ValidationError):
        validate_instrument_data(data)
