"""``safelect incidents congress-recipients --county FIPS5 [--county …] [--state XX …] [--json]``
and ``safelect incidents purge-personal-data [--dry-run]``.

Who must be notified of a significant election cybersecurity incident in these places (S.2261
§4(p)(1)(A)): the committees and leaders of SEC. 3(2), the Senators of each affected State and the
Representatives of each affected congressional district. An unknown code ends with a message naming
it and exit status 2.

``purge-personal-data`` does now what the daily job does: purge the personal information of closed
incidents whose retention period ends (S.2261 §4(g); see :mod:`safelect.programs.incidents.personal`).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from safelect.core.directory.congress import UnknownPlace, congress_recipients, resolve_places
from safelect.core.directory.models import Legislator


class Command(BaseCommand):
    help = "Election cybersecurity incidents (S.2261 §4): who in Congress is notified of a significant incident."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{congress-recipients,purge-personal-data}")
        purge = sub.add_parser(
            "purge-personal-data", help="purge personal information of closed incidents whose retention period ends (§4(g))"
        )
        purge.add_argument("--dry-run", action="store_true", help="list the incidents that would be purged; change nothing")
        who = sub.add_parser(
            "congress-recipients",
            help="the committees, leaders, Senators and Representatives notified of a significant incident in these places (§4(p)(1)(A))",
        )
        who.add_argument("--county", action="append", default=[], metavar="FIPS5", help="an affected county (five-digit FIPS code); repeat")
        who.add_argument(
            "--state",
            action="append",
            default=[],
            metavar="XX",
            help="an affected State as a whole (USPS code; every district of the State); repeat",
        )
        who.add_argument("--json", action="store_true", help="print JSON (committees, leaders, senators, representatives)")

    def handle(self, *args, action, **options):
        if action == "purge-personal-data":
            return self._purge(options["dry_run"])
        if not options["county"] and not options["state"]:
            raise CommandError("name at least one affected place: --county FIPS5 or --state XX")
        try:
            counties, states = resolve_places(options["county"], options["state"])
        except UnknownPlace as exc:
            raise CommandError(str(exc)) from None
        if not Legislator.objects.exists():
            raise CommandError("the directory holds no members of Congress: run `safelect directory load` first")
        recipients = congress_recipients(counties, states)
        if options["json"]:
            self.stdout.write(json.dumps(recipients.as_dict(), indent=2))
            return
        console = Console(file=self.stdout, width=120)
        data = recipients.as_dict()
        places = ", ".join([str(c) for c in counties] + [s.name for s in states])
        table = Table(title=f"S.2261 §4(p)(1)(A) notification for {places}")
        for column in ("to", "who", "why"):
            table.add_column(column)
        for c in data["committees"]:
            table.add_row("committee", f"{c['name']} ({c['code']})", "S.2261 §3(2)")
        for p in data["leaders"]:
            table.add_row("leader", f"{p['name']} ({p['state']})", p["role"])
        for p in data["senators"]:
            table.add_row("Senator", f"{p['name']} ({p['state']})", "§4(p)(1)(A)(ii): affected State")
        for p in data["representatives"]:
            seat = f"{p['state']}-{p['district']:02d}" if p["district"] else f"{p['state']}-AL"
            table.add_row("Representative", f"{p['name']} ({seat})", "§4(p)(1)(A)(iii): affected district")
        for seat in data["vacant_districts"]:
            table.add_row("Representative", f"vacant seat {seat}", "no member to notify")
        console.print(table)

    def _purge(self, dry_run: bool) -> None:
        from safelect.programs.incidents.personal import due_for_purge, purge_due

        if dry_run:
            due = due_for_purge()
            for incident in due:
                self.stdout.write(f"{incident.reference}: closed {incident.closed_at:%Y-%m-%d}, would be purged")
            self.stdout.write(f"{len(due)} incident(s) due; nothing was changed (dry run).")
            return
        done = purge_due()
        for reference, counts in done:
            what = ", ".join(f"{n} × {kind}" for kind, n in sorted(counts.items())) or "nothing personal found"
            self.stdout.write(f"{reference}: purged {what}")
        self.stdout.write(f"{len(done)} incident(s) purged.")
