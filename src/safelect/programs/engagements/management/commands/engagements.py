"""``safelect engagements import PATH [--dry-run] [--json]`` and
``safelect engagements export --format xlsx|pdf|csv [--region N] [--from D --to D] [--foia] --out FILE``.

A refused file ends with one line on stderr naming the problem and exit status 2; nothing is
written.  The import runs as the system (the operator at the terminal), journalled as such.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from safelect.programs.engagements import exports, services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.importing import MAX_FILE_BYTES, ImportRefused, check_size
from safelect.programs.engagements.models import Engagement


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Engagements with election officials: import weekly summaries, export them (and FOIA releases)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        imp = sub.add_parser("import", help="import a weekly summary (.txt/.tsv, .csv or .xlsx): preview, then commit all or nothing")
        imp.add_argument("path", help="the file to import")
        imp.add_argument("--dry-run", action="store_true", help="print the preview only; write nothing")
        imp.add_argument("--json", action="store_true", help="print the report as JSON")
        imp.add_argument(
            "--max-size",
            type=int,
            default=MAX_FILE_BYTES // (1024 * 1024),
            metavar="MB",
            help=f"largest file accepted, in MB (default {MAX_FILE_BYTES // (1024 * 1024)}, the limit of the page and the API)",
        )
        exp = sub.add_parser("export", help="write the weekly summary (per region or national) for a period")
        exp.add_argument("--format", required=True, choices=exports.FORMATS)
        exp.add_argument("--region", type=int, choices=range(1, 11), metavar="N", help="one region (1-10); default national")
        exp.add_argument("--from", dest="date_from", type=_date, metavar="D", help="first day (YYYY-MM-DD)")
        exp.add_argument("--to", dest="date_to", type=_date, metavar="D", help="last day (YYYY-MM-DD)")
        exp.add_argument("--foia", action="store_true", help="FOIA release: each redacted span replaced by its exemption code")
        exp.add_argument("--out", required=True, help="file to write")

    def handle(self, *args, action, **options):
        if action == "import":
            return self._import(Path(options["path"]), options["dry_run"], options["json"], options["max_size"])
        return self._export(options)

    def _refuse(self, message: str) -> None:
        self.stderr.write(f"safelect engagements: {message}; nothing was written")
        sys.exit(2)

    def _import(self, path: Path, dry_run: bool, as_json: bool, max_size: int = MAX_FILE_BYTES // (1024 * 1024)) -> None:
        max_bytes = max_size * 1024 * 1024
        try:
            check_size(path.stat().st_size, path.name, max_bytes)  # before reading it into memory
        except ImportRefused as error:
            self._refuse(str(error))
        except OSError:
            pass  # reported by the read below
        try:
            data = path.read_bytes()
        except OSError as error:
            self._refuse(f"{path}: cannot be read ({error.strerror or error})")
        console = Console(stderr=True)
        try:
            if dry_run:
                preview = services.preview_file(data, path.name, max_bytes)
                report = preview.to_json(include_meetings=False)
                report.update(already_imported=preview.changes_nothing, committed=False, dry_run=True)
            else:
                with Progress(console=console, transient=True, disable=as_json or not console.is_terminal) as progress:
                    bar = progress.add_task(f"importing {path.name}", total=None)
                    result = services.commit_import(
                        data,
                        path.name,
                        Actor.system(),
                        progress=lambda done, total: progress.update(bar, completed=done, total=total),
                        max_bytes=max_bytes,
                    )
                report = result.report()
        except ImportRefused as error:
            self._refuse(str(error))
        if as_json:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self._print_report(report, dry_run)

    def _print_report(self, report: dict, dry_run: bool) -> None:
        out = Console(file=self.stdout, width=120)
        table = Table(title=f"{report['source']}: {report['rows_read']} row(s) in {report['tables']} table(s)")
        table.add_column("row")
        table.add_column("outcome")
        table.add_column("why")
        for row in report["rows"]:
            table.add_row(row["row"]["label"], row["outcome"], "\n".join(row["reasons"]))
        out.print(table)
        verb = "would be" if dry_run else "were"
        if report["already_imported"]:
            out.print("already imported: nothing changed")
            return
        out.print(
            f"{report['engagements_created']} engagement(s) {verb} created, {report['duplicates_merged']} "
            f"row(s) {verb} merged into another version's record, {len(report['flags'])} flag(s) "
            f"{'would go' if dry_run else 'went'} to the review queue, {len(report['rejected'])} row(s) rejected"
            + (" — dry run, nothing written" if dry_run else "")
        )

    def _export(self, options) -> None:
        if options["date_from"] and options["date_to"] and options["date_from"] > options["date_to"]:
            self._refuse("--from is after --to")
        summary = exports.build_summary(
            Engagement.objects.all(),
            release=options["foia"],
            region=options["region"],
            date_from=options["date_from"],
            date_to=options["date_to"],
        )
        data = exports.write(summary, options["format"])
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as error:
            self._refuse(f"{out}: cannot be written ({error.strerror or error})")
        rows = sum(len(t.rows) for t in summary.tables)
        self.stdout.write(
            f"wrote {out} ({options['format']}, {rows} engagement(s), {summary.period}{', FOIA release' if options['foia'] else ''})"
        )
