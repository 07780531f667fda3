"""Refresh the Dutch catalogue: collect msgids from the code, fill Dutch from locale-pending/*.tsv
(lines "English msgid<TAB>Dutch text"), report what is still untranslated, compile the .mo.

    .venv/bin/python scripts/translations.py [--check]

--check exits non-zero when a msgid has no Dutch text (CI runs it).
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "src" / "koers"
PO = APP / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PENDING = ROOT / "locale-pending"
DJANGO_ADMIN = ROOT / ".venv" / "bin" / "django-admin"


def run(*args):
    env = {
        **os.environ,
        "KOERS_TESTING": "true",
        "DJANGO_SETTINGS_MODULE": "koers.conf.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(  # noqa: S603 - fixed arguments, our own django-admin
        [str(DJANGO_ADMIN), *args], cwd=APP, env=env, check=True, stdout=subprocess.DEVNULL
    )


def pending() -> dict[str, str]:
    table = {}
    for tsv in sorted(PENDING.glob("*.tsv")):
        for number, line in enumerate(tsv.read_text().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                sys.exit(f"{tsv.name}:{number}: no tab between English and Dutch")
            english, dutch = line.split("\t", 1)
            table[english.replace("\\n", "\n")] = dutch.replace("\\n", "\n")
    return table


def main(check: bool) -> int:
    run("makemessages", "-l", "nl", "--no-location", "--no-obsolete", "--ignore=tests/*")
    catalogue = polib.pofile(str(PO))
    table = pending()
    catalogue.metadata["Language"] = "nl"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    missing = []
    for entry in catalogue:
        if entry.msgid in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {
                    0: table[entry.msgid],
                    1: table.get(entry.msgid_plural, table[entry.msgid]),
                }
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        translated = entry.msgstr or (entry.msgstr_plural and entry.msgstr_plural.get(0))
        if not translated or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    catalogue.save(str(PO))
    run("compilemessages", "-l", "nl")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(catalogue) - len(missing)} of {len(catalogue)} messages translated")
    return 1 if check and missing else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
