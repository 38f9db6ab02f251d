"""``safelect obligations duties | due | explain | sweep``: the registry, what is due, how a deadline is computed."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from safelect.core.obligations.explain import DEFAULT_TZ, explain, format_due
from safelect.core.obligations.registry import every_duty, registry_as_dicts


class Command(BaseCommand):
    help = "Statutory duties and their clocks: list the registry, list what is due, explain a deadline, run the sweep."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{duties,due,explain,sweep,open-past}")
        duties = sub.add_parser("duties", help="list every duty of the registry with its citation and rule")
        duties.add_argument("--json", action="store_true", help="print JSON (shows the assumed date of enactment)")
        due = sub.add_parser("due", help="open obligations due within N days (and those overdue), from the database")
        due.add_argument("--days", type=int, default=30, help="look-ahead in days (default 30)")
        due.add_argument("--json", action="store_true", help="print JSON")
        ex = sub.add_parser("explain", help="compute a duty's due moment for a trigger and say which rule was used")
        ex.add_argument("code", help="duty code, e.g. S2261-4i (see `safelect obligations duties`)")
        ex.add_argument("--trigger", help="ISO moment with offset (2026-03-02T14:00-05:00) or date (2026-03-02)")
        ex.add_argument("--tz", default=DEFAULT_TZ, help=f"the holder's IANA time zone (default {DEFAULT_TZ})")
        ex.add_argument("--json", action="store_true", help="print JSON")
        sw = sub.add_parser("sweep", help="run the reminder sweep once now (the worker runs it every 5 minutes)")
        sw.add_argument("--json", action="store_true", help="print JSON")
        past = sub.add_parser("open-past", help="open the past cycles of a scheduled duty, marked historical (never done automatically)")
        past.add_argument("code", help="duty code, e.g. HR5011-204a")
        past.add_argument("--since", required=True, help="first date (YYYY-MM-DD) whose cycles to open")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _open_past(self, *, code: str, since: str, **_) -> None:
        import datetime as dt

        from safelect.core.obligations.sweep import open_past_cycles

        try:
            first = dt.date.fromisoformat(since)
            opened = open_past_cycles(code, first)
        except KeyError:
            raise CommandError(f"no duty {code!r}: see `safelect obligations duties`") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{opened} past obligation(s) of {code} opened, marked historical")

    def _console(self) -> Console:
        return Console(file=self.stdout, width=160, soft_wrap=False)

    def _duties(self, *, json: bool = False, **_) -> None:
        rows = registry_as_dicts(settings.ENACTMENT_DATE)
        if json:
            self.stdout.write(_dumps({"enactment": rows[0]["enactment"] | {"applies": None}, "count": len(rows), "duties": rows}))
            return
        table = Table(
            title=f"{len(rows)} duties (date of enactment assumed: {settings.ENACTMENT_DATE.isoformat()}, setting SAFELECT_ENACTMENT_DATE)"
        )
        for column in ("code", "citation", "holder", "kind", "rule"):
            table.add_column(column, overflow="fold")
        for duty in every_duty():
            kind = f"internal policy ({duty.origin})" if duty.is_internal else "policy target" if duty.is_policy else "statutory"
            table.add_row(duty.code, duty.citation, duty.holder, kind, duty.describe_rule())
        self._console().print(table)

    def _due(self, *, days: int, json: bool = False, **_) -> None:
        from django.utils import timezone

        from safelect.core.obligations import queries

        if days < 0:
            raise CommandError("--days must be 0 or more")
        now = timezone.now()
        found = list(queries.due_within(days, now))
        if json:
            self.stdout.write(
                _dumps(
                    {"days": days, "now": now.isoformat(), "count": len(found), "obligations": [_obligation_dict(o, now) for o in found]}
                )
            )
            return
        table = Table(title=f"{len(found)} open obligation(s) due within {days} days or overdue")
        for column in ("id", "status", "due", "duty", "holder", "about", "kind"):
            table.add_column(column, overflow="fold")
        for o in found:
            table.add_row(
                str(o.pk),
                o.status_at(now).label,
                format_due(o.due_at, o.time_zone),
                o.duty_code,
                o.holder.name,
                o.subject_label or o.cycle,
                o.kind_label,
            )
        self._console().print(table)

    def _explain(self, *, code: str, trigger: str | None, tz: str, json: bool = False, **_) -> None:
        from safelect.core.obligations.services import policy_overrides

        try:
            result = explain(code, trigger, tz, enactment=settings.ENACTMENT_DATE, overrides=policy_overrides())
        except ZoneInfoNotFoundError:
            raise CommandError(f"--tz {tz!r} is not an IANA time zone name (e.g. America/Chicago)") from None
        except KeyError as exc:
            raise CommandError(f"{exc.args[0]}; `safelect obligations duties` lists the codes") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        schedule = [] if trigger else _schedule(code, tz)
        if json:
            self.stdout.write(_dumps({**result.as_dict(), "schedule": schedule}))
            return
        self.stdout.write(result.text)
        if schedule:
            self.stdout.write("  schedule:  " + ", ".join(o["due_date"] for o in schedule) + ", …")

    def _sweep(self, *, json: bool = False, **_) -> None:
        from safelect.core.obligations.sweep import sweep

        report = sweep()
        self.stdout.write(
            _dumps(report.as_dict())
            if json
            else "opened {opened}, reminders {reminders}, escalations {escalations}, skipped {skipped}".format(**report.as_dict())
        )


def _schedule(code: str, tz: str, count: int = 6) -> list[dict]:
    """The first ``count`` cycles of a recurring or dated duty, counted from the assumed enactment."""
    import datetime as dt
    from itertools import islice
    from zoneinfo import ZoneInfo

    from safelect.core.obligations.clocks import occurrences
    from safelect.core.obligations.registry import get
    from safelect.core.obligations.services import policy_overrides

    duty = get(code)
    zone = ZoneInfo(tz)
    start = dt.datetime.combine(settings.ENACTMENT_DATE, dt.time(), zone)
    found = occurrences(
        duty, start, start.replace(year=start.year + 30), zone, enactment=settings.ENACTMENT_DATE, overrides=policy_overrides()
    )
    return [{"due_date": o.due_at.date().isoformat(), "cycle": o.label} for o in islice(found, count)]


def _dumps(value) -> str:
    return json.dumps(value, indent=2, default=str)


def _obligation_dict(o, now) -> dict:
    return {
        "id": o.pk,
        "duty": o.duty_code,
        "citation": o.duty.citation if _known(o) else o.duty_code,
        "holder": o.holder.key,
        "holder_name": o.holder.name,
        "state": o.state.usps if o.state_id else None,
        "subject": {"type": o.subject_type, "id": o.subject_id, "label": o.subject_label} if o.subject_type else None,
        "cycle": o.cycle,
        "trigger_at": o.trigger_at.isoformat(),
        "due_at": o.local_due.isoformat(),
        "due_text": format_due(o.due_at, o.time_zone),
        "time_zone": o.time_zone,
        "status": o.status_at(now).value,
        "kind": "policy" if o.is_policy else "statutory",
        "rule": o.rule_description,
    }


def _known(o) -> bool:
    try:
        o.duty  # noqa: B018
        return True
    except KeyError:
        return False
