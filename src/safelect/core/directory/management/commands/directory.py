"""``safelect directory load [--congress-from DIR]`` and ``safelect directory show [STATE] [--json]``."""

import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from safelect.core.directory import queries
from safelect.core.directory.loading import ReferenceDataError
from safelect.core.directory.models import State
from safelect.core.directory.services import SYSTEM, load_reference_data


class Command(BaseCommand):
    help = "The directory of the election system: load the reference data, or show States and their jurisdictions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,show}")
        load = sub.add_parser("load", help="load or refresh the reference data (idempotent)")
        load.add_argument("--json", action="store_true", help="print the load report as JSON")
        load.add_argument(
            "--congress-from",
            metavar="DIR",
            help="a folder with newer legislators-current.yaml and committees-current.yaml (unitedstates/congress-legislators)",
        )
        show = sub.add_parser("show", help="list States and territories, or one State's jurisdictions")
        show.add_argument("state", nargs="?", help="USPS code of one State or territory, e.g. WI")
        show.add_argument("--json", action="store_true", help="print JSON (jurisdictions nested under their State)")

    def handle(self, *args, action, **options):
        if action == "load":
            return self._load(options["json"], options.get("congress_from"))
        return self._show(options.get("state"), options["json"])

    def _load(self, as_json: bool, congress_from: str | None = None) -> None:
        console = Console(stderr=True)
        try:
            with Progress(console=console, transient=True, disable=as_json or not console.is_terminal) as progress:
                bar = progress.add_task("loading the directory", total=6)

                def tick(step, done, total):
                    progress.update(bar, completed=done, description=f"loading {step}")

                report = load_reference_data(SYSTEM, tick, congress_folder=congress_from)
        except ReferenceDataError as exc:
            raise CommandError(f"reference data refused, nothing changed: {exc}") from None
        if as_json:
            self.stdout.write(json.dumps({"changed": report.changed, "tables": report.as_dict()}, indent=2))
            return
        table = Table(title="Directory load", show_lines=False)
        for column in ("table", "created", "updated", "unchanged"):
            table.add_column(column, justify="left" if column == "table" else "right")
        for name, t in report.tables.items():
            table.add_row(name, str(t.created), str(t.updated), str(t.unchanged))
        Console(file=self.stdout).print(table)
        self.stdout.write("nothing changed" if report.changed == 0 else f"{report.changed} row(s) created or updated")

    def _show(self, usps: str | None, as_json: bool) -> None:
        states = queries.states()
        if usps:
            states = states.filter(usps=usps.upper())
            if not states:
                raise CommandError(f"no State or territory with the USPS code {usps!r}")
        if not State.objects.exists():
            raise CommandError("the directory is empty: run `safelect directory load` first")
        if as_json:
            self.stdout.write(json.dumps(self._as_json(list(states)), indent=1))
            return
        console = Console(file=self.stdout, width=120)
        if usps:
            state = states[0]
            table = Table(
                title=f"{state.name} ({state.usps}, FIPS {state.fips}, region {state.region.number}) — {state.jurisdiction_count} jurisdictions"
            )
            for column in ("EAVS code", "jurisdiction", "kind", "county"):
                table.add_column(column)
            for j in queries.jurisdictions(state):
                table.add_row(j.eavs_code, j.display_name, j.kind, j.county.name if j.county else "—")
        else:
            table = Table(title=f"{len(states)} States and territories")
            for column in ("USPS", "FIPS", "name", "region", "jurisdictions"):
                table.add_column(column, justify="right" if column == "jurisdictions" else "left")
            for s in states.order_by("region__number", "name"):
                table.add_row(s.usps, s.fips, s.name, str(s.region.number), str(s.jurisdiction_count))
        console.print(table)

    @staticmethod
    def _as_json(states: list[State]) -> dict:
        by_state: dict[int, list[dict]] = {s.pk: [] for s in states}
        for j in queries.jurisdictions().filter(state__in=states).values("state_id", "eavs_code", "name", "kind", "county__fips5"):
            by_state[j["state_id"]].append(
                {"eavs_code": j["eavs_code"], "name": j["name"], "kind": j["kind"], "county_fips": j["county__fips5"]}
            )
        out = [
            {
                "usps": s.usps,
                "fips": s.fips,
                "name": s.name,
                "kind": s.kind,
                "region": s.region.number,
                "time_zone": s.time_zone,
                "jurisdiction_count": len(by_state[s.pk]),
                "jurisdictions": by_state[s.pk],
            }
            for s in states
        ]
        return {"state_count": len(out), "jurisdiction_count": sum(s["jurisdiction_count"] for s in out), "states": out}
