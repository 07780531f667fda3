import textwrap

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from koers.demo.selectors import demo_login_rows
from koers.demo.services import DEMO_PASSWORD

DEMO_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Print the demo accounts in Dutch: username, password, role, organisation, what to try."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("demo_logins only runs in demo mode (KOERS_DEMO=true).")
        with translation.override("nl"):
            rows = demo_login_rows()
            if not rows:
                raise CommandError("There are no demo accounts yet: run manage.py demo_data first.")
            self.stdout.write(self._table(rows))

    def _table(self, rows) -> str:
        header = (_("Username"), _("Password"), _("Role"), _("Organisation"))
        cells = [header] + [(r.username, r.password, r.role, r.organisation) for r in rows]
        widths = [max(len(row[column]) for row in cells) for column in range(len(header))]

        def line(values) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        rule = "  ".join("-" * w for w in widths)
        width = max(len(rule), 72)
        out = ["", _("Koers demo: sign in at %(url)s") % {"url": DEMO_URL}, "=" * width, ""]
        out += [line(header), rule]
        previous = None
        for row in rows:
            out.append(line((row.username, row.password, row.role, row.organisation)))
            if row.username != previous:
                # One hint per account, under its first membership.
                out += textwrap.wrap(
                    _("Try: %(hint)s") % {"hint": row.hint},
                    width=width,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            previous = row.username
        out += [
            "",
            _("Every demo account uses the password %(password)s.") % {"password": DEMO_PASSWORD},
        ]
        if settings.KOERS_REQUIRE_2FA:
            out.append(
                _(
                    "At the first sign-in you set up an authenticator app (two-factor "
                    "authentication)."
                )
            )
        else:
            out.append(_("Two-factor authentication is off in this demo."))
        out.append("")
        return "\n".join(out)
