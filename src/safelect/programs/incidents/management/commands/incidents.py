"""``safelect incidents congress-recipients --county FIPS5 [--county …] [--state XX …] [--json]``.

Who must be notified of a significant election cybersecurity incident in these places (S.2261
§4(p)(1)(A)): the committees and leaders of SEC. 3(2), the Senators of each affected State and the
Representatives of each affected congressional district. An unknown code ends with a message naming
it and exit status 2.
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
        sub = parser.add_subparsers(dest="action", required=True, metavar="{congress-recipients}")
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
