"""The audit report, the observer kit, and the hand-count table for S.2261 §7(h).

* **Report** (CSV and PDF): the settings, the seed, each jurisdiction's manifest and CVR digests,
  the rounds, every sampled ballot with what its board recorded, and the risk per contest per round.
* **Observer kit** (zip): the public files — all manifests in one CSV, each targeted contest as
  ``safelect rla`` contest JSON, each contest's audited sample as ``safelect rla`` sample CSV (one
  row per draw) — and a README with the exact commands that reproduce the draw (``safelect rla
  draw``) and the measured risk (``safelect rla risk``) on any machine.
* **§7(h) hand counts**: ballots inspected by hand per jurisdiction (each sampled ballot once, as
  retrieved), in the ``--input`` format of ``safelect grants allocate --formula s2261-7h`` and of a
  reimbursement claim (``state_abbr, applicant, ballots_inspected, claimed_expenses``; the expenses
  are the jurisdiction's to fill in).
"""

from __future__ import annotations

import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone

from safelect.core.exports import csv_bytes, pdf_bytes

from .models import Audit, BallotRecord, Draw, Upload
from .rounds import combined_manifest_csv, contest_json, observer_command, universe


def _files(audit: Audit) -> list[list]:
    rows = []
    for participant in audit.participants.select_related("organization"):
        for kind in (Upload.Kind.MANIFEST, Upload.Kind.CVR, Upload.Kind.BATCH_TALLIES):
            current = participant.current(kind)
            if current is not None:
                rows.append([participant.organization.name, current.get_kind_display(), current.name, current.sha256])
    return rows


def _cell(got: dict | None) -> str:
    if got is None:
        return ""
    if got.get("overvote"):
        return "overvote"
    if got.get("blank"):
        return "blank"
    return "; ".join(got.get("choices", []))


def ballot_rows(audit: Audit) -> list[list]:
    """Every sampled ballot as its board read it; for ballot comparison also its card's CVR (the
    discrepancies are the differences, counted per round in the results)."""
    contests = list(audit.contests.values_list("name", flat=True))
    comparison = audit.kind == Audit.Kind.BALLOT_COMPARISON
    cvr_columns = [f"CVR: {name}" for name in contests] if comparison else []
    rows = [
        [
            "Round",
            "Jurisdiction",
            "Container",
            "Tabulator",
            "Batch Name",
            "Ballot Position",
            "Times Drawn",
            "Board",
            "Not Found",
            *contests,
            *cvr_columns,
        ]
    ]
    cvrs = {}
    if comparison:
        for draw in Draw.objects.filter(round__audit=audit):
            cvrs[(draw.participant_id, draw.tabulator, draw.batch, draw.position)] = draw
    for record in (
        BallotRecord.objects.filter(round__audit=audit)
        .select_related("round", "participant__organization", "board")
        .order_by("round__number", "participant__organization__name", "container", "tabulator", "batch", "position")
    ):
        read = record.votes or {}
        cells = [_cell(read.get(name)) for name in contests]
        if comparison:
            draw = cvrs.get((record.participant_id, record.tabulator, record.batch, record.position))
            cells += [
                "no CVR for this card" if draw is None or draw.cvr_missing else "; ".join((draw.cvr or {}).get(name, []))
                for name in contests
            ]
        rows.append(
            [
                record.round.number,
                record.participant.organization.name,
                record.container,
                record.tabulator,
                record.batch,
                record.position,
                record.times_drawn,
                record.board.name,
                "yes" if record.not_found else "",
                *cells,
            ]
        )
    return rows


def tally_rows(audit: Audit) -> list[list]:
    """Batches counted by hand (sampled batches of a batch comparison, batches of a full hand count)."""
    contests = list(audit.contests.all())
    rows = [
        [
            "Purpose",
            "Jurisdiction",
            "Container",
            "Tabulator",
            "Batch Name",
            "Ballots",
            "Entered",
            *[f"{c.name}: {choice}" for c in contests for choice in c.choices],
        ]
    ]
    for tally in audit.batch_tallies.select_related("participant__organization").order_by(
        "purpose", "participant__organization__name", "pk"
    ):
        votes = tally.votes or {}
        rows.append(
            [
                tally.get_purpose_display(),
                tally.participant.organization.name,
                tally.container,
                tally.tabulator,
                tally.batch,
                tally.ballots,
                tally.recorded_at.strftime("%Y-%m-%d %H:%M UTC") if tally.recorded_at else "not yet",
                *[(votes.get(c.name) or {}).get(choice, "") for c in contests for choice in c.choices],
            ]
        )
    return rows


def _discrepancies(result: dict) -> str:
    found = result.get("discrepancies")
    if not found:
        return ""
    return f"o1 {found['o1']}, o2 {found['o2']}, u1 {found['u1']}, u2 {found['u2']}"


def report_csv(audit: Audit) -> bytes:
    rows = [
        ["Audit", audit.reference, audit.name],
        ["Election", audit.election],
        ["Type", audit.get_kind_display()],
        ["Risk limit (percent)", str(audit.risk_limit)],
        ["Seed", audit.seed],
        ["Status", audit.get_status_display()],
        ["Outcome", audit.outcome],
        [],
        ["Jurisdiction", "File", "Name", "SHA-256"],
        *_files(audit),
        [],
        ["Round", "Contest", "Draws So Far", "Measured risk", "Risk limit met", "Discrepancies"],
    ]
    for rnd in audit.rounds.all():
        for result in rnd.results or []:
            rows.append(
                [
                    rnd.number,
                    result["contest"] + (" (opportunistic)" if result.get("targeted") is False else ""),
                    result["ballots"],
                    f"{result['risk']:.6g}",
                    "yes" if result["met"] else "no",
                    _discrepancies(result),
                ]
            )
    rows += [[], *ballot_rows(audit)]
    if audit.batch_tallies.exists():
        rows += [[], *tally_rows(audit)]
    return csv_bytes(rows)


def report_pdf(audit: Audit) -> bytes:
    html = render_to_string(
        "audits/report_pdf.html",
        {
            "audit": audit,
            "files": _files(audit),
            "rounds": audit.rounds.all(),
            "ballots": ballot_rows(audit),
            "tallies": tally_rows(audit) if audit.batch_tallies.exists() else [],
            "printed": timezone.now(),
        },
    )
    return pdf_bytes(html)


METHODS = {Audit.Kind.BALLOT_POLLING: "bravo", Audit.Kind.BALLOT_COMPARISON: "supersimple", Audit.Kind.BATCH_COMPARISON: "macro"}


def _sample_csv(audit: Audit, contest) -> bytes:
    """The audited sample of one contest, one row per draw of every round, in the ``safelect rla
    risk`` format of the audit's method (docs/rla.md)."""
    from .measure import _ballot_draws, _reading

    choices = list(contest.choices)
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        from .batches import batch_draws

        rows = [["Batch Name", *[f"Audit: {c}" for c in choices]]]
        for name, counted in batch_draws(audit):
            rows.append([name, *[counted.get(contest.name, {}).get(c, 0) for c in choices]])
        return csv_bytes(rows)
    comparison = audit.kind == Audit.Kind.BALLOT_COMPARISON
    header = [*([f"CVR: {c}" for c in choices] if comparison else []), *[f"{'Audit: ' if comparison else ''}{c}" for c in choices]]
    rows = [[*header, "Not Found", *(["Phantom"] if comparison else [])]]
    for draw, ballot in _ballot_draws(audit):
        read = _reading(ballot, contest.name)
        line = []
        if comparison:
            cvr = set((draw.cvr or {}).get(contest.name) or ())
            line = ["1" if c in cvr else "0" for c in choices]
        line += ["1" if read and c in read else "0" for c in choices]
        line.append("yes" if read is None else "")
        if comparison:
            line.append("yes" if draw.cvr_missing else "")
        rows.append(line)
    return csv_bytes(rows)


def observer_kit(audit: Audit) -> bytes:
    ballots = universe(audit)
    measured = [r for r in audit.rounds.all() if r.results]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kit:
        manifest = f"{audit.reference}-manifests.csv"
        kit.writestr(manifest, combined_manifest_csv(audit))
        lines = [
            f"Observer kit: {audit.name} ({audit.reference})",
            f"Seed (from the public dice-rolling ceremony): {audit.seed}",
            f"Risk limit: {audit.risk_limit} %",
            "",
            "With safelect installed (pip install safelect), in this folder:",
            "",
        ]
        for n, contest in enumerate(audit.contests.filter(targeted=True), start=1):
            stem = f"contest-{n}"
            if audit.kind == Audit.Kind.BATCH_COMPARISON:
                from .batches import contest_json as batch_contest_json

                data = batch_contest_json(audit)
            else:
                data = contest_json(contest, ballots)
            kit.writestr(f"{stem}.json", json.dumps(data, indent=2, ensure_ascii=False))
            if n == 1:
                for rnd in audit.rounds.all():
                    lines += [
                        f"# the draw of round {rnd.number} (compare with the retrieval lists)",
                        observer_command(audit, rnd, contest_file=f"{stem}.json"),
                        "",
                    ]
            if measured:
                kit.writestr(f"{stem}-sample.csv", _sample_csv(audit, contest))
                lines += [
                    f"# the measured risk of {contest.name} after round {measured[-1].number}",
                    f"safelect rla risk --method {METHODS[audit.kind]} --contest {stem}.json --sample {stem}-sample.csv "
                    f"--risk-limit {audit.risk_limit}",
                    "",
                ]
        kit.writestr("README.txt", "\n".join(lines) + "\n")
    return out.getvalue()


def hand_count_rows(audit: Audit) -> list[list]:
    """Ballots inspected by hand per jurisdiction (S.2261 §7(h)), as a claim's input rows: each
    sampled ballot found and read once, and every ballot of each batch counted by hand (a sampled
    batch, a batch of the full hand count) — a ballot counted again in a full hand count is inspected
    again."""
    counts: dict[str, int] = {}
    for record in BallotRecord.objects.filter(round__audit=audit, recorded_at__isnull=False, not_found=False).select_related(
        "participant__organization"
    ):
        counts[record.participant.organization.name] = counts.get(record.participant.organization.name, 0) + 1
    for tally in audit.batch_tallies.filter(recorded_at__isnull=False).select_related("participant__organization"):
        counts[tally.participant.organization.name] = counts.get(tally.participant.organization.name, 0) + tally.ballots
    rows = [["state_abbr", "applicant", "ballots_inspected", "claimed_expenses"]]
    rows += [[audit.state.usps, name, count, ""] for name, count in sorted(counts.items())]
    return rows
