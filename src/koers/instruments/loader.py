"""Loading instruments from data files (`data/*.json`), so that a new instrument version is a new
file and no code change.

A file describes one version of one instrument:

    {"instrument": {"code", "name", "name_en", "section", "optional", "chart", "order"},
     "version": {"label", "valid_from", "guidance", "guidance_en", "flag_label", "flag_label_en",
                 "levels_descending"},
     "scales": {"<scale name>": [{"value", "label", "label_en", "anchor"}, ...]},
     "items": [{"code", "name", "name_en", "section", "kind", "required", "potential_of",
                "scale"}, ...]}

Loading is idempotent and only adds or updates: an item or level no longer in the file stays
(measurements may point at it), and anchor texts already loaded by a licence holder are kept
unless the file itself carries one. Migration 0002 loads the files, and so does every later
`migrate` (the post_migrate handler in apps.py): a file added later is loaded by the next
deployment's migrate, and a test database that a transactional test flushed gets them back.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import transaction

from .constants import SECTION_BY_NAME, ChartKind, ItemKind

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def _section(name: str) -> int:
    try:
        return int(SECTION_BY_NAME[name])
    except KeyError:
        raise ValidationError(f"Unknown section {name!r}") from None


def validate_instrument_data(data: dict) -> None:
    """Refuse a file that would load half: every item needs a known scale, section and kind."""
    for key in ("instrument", "version", "scales", "items"):
        if key not in data:
            raise ValidationError(f"Missing {key!r}")
    instrument = data["instrument"]
    _section(instrument["section"])
    if instrument.get("chart", ChartKind.MATRIX) not in ChartKind.values:
        raise ValidationError(f"Unknown chart {instrument['chart']!r}")
    date.fromisoformat(data["version"]["valid_from"])
    codes = set()
    for item in data["items"]:
        if item["code"] in codes:
            raise ValidationError(f"Item {item['code']!r} twice")
        codes.add(item["code"])
        _section(item["section"])
        if item.get("kind", ItemKind.SCORE) not in ItemKind.values:
            raise ValidationError(f"Unknown kind {item['kind']!r}")
        if item["scale"] not in data["scales"] or not data["scales"][item["scale"]]:
            raise ValidationError(f"Item {item['code']!r}: unknown or empty scale")
        is_potential = item.get("kind") == ItemKind.POTENTIAL
        if is_potential != bool(item.get("potential_of")):
            raise ValidationError(f"Item {item['code']!r}: a potential names its item")
        if is_potential and item["potential_of"] not in codes:
            raise ValidationError(f"Item {item['code']!r}: potential_of must come before it")


def load_instrument_data(data: dict, *, apps=None, using: str = "default", source_hash=""):
    """Create or update one instrument version from its data. Returns the version."""
    apps = apps or global_apps
    validate_instrument_data(data)
    Instrument = apps.get_model("instruments", "Instrument")
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    Item = apps.get_model("instruments", "Item")
    ScaleLevel = apps.get_model("instruments", "ScaleLevel")

    spec = data["instrument"]
    instrument, _ = Instrument.objects.using(using).update_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"],
            "name_en": spec.get("name_en", ""),
            "section": _section(spec["section"]),
            "optional": bool(spec.get("optional", False)),
            "chart": spec.get("chart", ChartKind.MATRIX),
            "order": spec.get("order", 0),
        },
    )
    spec = data["version"]
    version, _ = InstrumentVersion.objects.using(using).update_or_create(
        instrument=instrument,
        label=spec["label"],
        defaults={
            "valid_from": date.fromisoformat(spec["valid_from"]),
            "guidance": spec.get("guidance", ""),
            "guidance_en": spec.get("guidance_en", ""),
            "flag_label": spec.get("flag_label", ""),
            "flag_label_en": spec.get("flag_label_en", ""),
            "levels_descending": bool(spec.get("levels_descending", False)),
            "source_hash": source_hash,
        },
    )
    existing = {item.code: item for item in Item.objects.using(using).filter(version=version)}
    levels = {
        (level.item_id, level.value): level
        for level in ScaleLevel.objects.using(using).filter(item__version=version)
    }
    new_levels, changed_levels = [], []
    for order, spec in enumerate(data["items"], start=1):
        values = {
            "name": spec["name"],
            "name_en": spec.get("name_en", ""),
            "order": order,
            "section": _section(spec["section"]),
            "kind": spec.get("kind", ItemKind.SCORE),
            "required": bool(spec.get("required", True)),
            "potential_of": existing[spec["potential_of"]] if spec.get("potential_of") else None,
        }
        item = existing.get(spec["code"])
        if item is None:
            item = Item.objects.using(using).create(version=version, code=spec["code"], **values)
            existing[item.code] = item
        elif any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            item.save(using=using)
        for level_spec in data["scales"][spec["scale"]]:
            level = levels.get((item.pk, level_spec["value"]))
            fields = {"label": level_spec["label"], "label_en": level_spec.get("label_en", "")}
            if level_spec.get("anchor"):
                fields["anchor"] = level_spec["anchor"]
            if level is None:
                new_levels.append(ScaleLevel(item=item, value=level_spec["value"], **fields))
            elif any(getattr(level, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(level, name, value)
                changed_levels.append(level)
    ScaleLevel.objects.using(using).bulk_create(new_levels)
    if changed_levels:
        ScaleLevel.objects.using(using).bulk_update(changed_levels, ["label", "label_en", "anchor"])
    return version


def load_instrument_files(*, apps=None, using: str = "default", paths=None) -> int:
    """Load every data file whose content changed since it was last loaded (all of them on an
    empty database). Returns how many were loaded."""
    apps = apps or global_apps
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    loaded_hashes = set(
        InstrumentVersion.objects.using(using)
        .exclude(source_hash="")
        .values_list("source_hash", flat=True)
    )
    loaded = 0
    for path in paths or data_files():
        raw = Path(path).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest in loaded_hashes:
            continue
        with transaction.atomic(using=using):
            load_instrument_data(json.loads(raw), apps=apps, using=using, source_hash=digest)
        loaded += 1
    return loaded
