"""Load the ZRM's anchor texts (the description of every level per domain), which Koers does
not ship: the ZRM is licensed, and a licence holder loads its own copy.

    manage.py load_zrm_anchors anchors.csv [--instrument-version 2017]

The file is CSV with the columns `domain,level,anchor` (domain = the item code, e.g. financien,
werk-opleiding; level = 1 to 5), or JSON: {"financien": {"1": "…", "2": "…"}, …}. All or
nothing: an unknown domain or level refuses the whole file."""

import csv
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from koers.instruments.services import anchors_load


def _rows_from(path: Path) -> list[tuple[str, int, str]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
            return [
                (code, int(value), anchor)
                for code, levels in data.items()
                for value, anchor in levels.items()
            ]
        reader = csv.DictReader(text.splitlines())
        missing = {"domain", "level", "anchor"} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"Missing columns: {', '.join(sorted(missing))}")
        return [(row["domain"].strip(), int(row["level"]), row["anchor"]) for row in reader]
    except (ValueError, AttributeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error


class Command(BaseCommand):
    help = "Load the ZRM's anchor texts (licensed; not shipped with Koers) from a CSV or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--instrument-version", dest="version_label", default=None)
        parser.add_argument("--instrument", default="zrm")

    def handle(self, *args, file: Path, version_label, instrument, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        rows = _rows_from(file)
        try:
            count = anchors_load(rows, instrument_code=instrument, version_label=version_label)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"Loaded {count} anchor texts.")
