"""Audit writes (S.2261 §5(d); H.R. 5011 §298): creating an audit for a State, uploading a
jurisdiction's ballot manifest and cast vote records (processed by a background job), standardising
contest names across jurisdictions and choosing the targeted contests. Each write checks permission
and object scope itself and is one transaction with its journal entry.

Files are stored content-addressed under ``SAFELECT_HOME/audits/`` (outside the web root) and read
by the pure ``safelect.rla`` readers. A refused file keeps nothing but its refusal (name, digest,
reason): its bytes are deleted and no tally or batch of it is used.
"""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.exports import TRIGGERS
from safelect.core.journal.services import record
from safelect.core.references import create_numbered
from safelect.rla import cvr
from safelect.rla.manifest import ManifestError, read_manifest_text

from .access import require_runs, visible_participants
from .models import Audit, Contest, Participant, Upload
from .permissions import MANAGE, UPLOAD

MAX_MANIFEST_BYTES = 20 * 1024 * 1024
TALLY_COLUMNS = ("Batch Name", "Contest", "Choice", "Votes")
MAX_CVR_BYTES = 2 * 1024**3


def store_root() -> Path:
    return Path(settings.HOME) / "audits"


def _jurisdictions(state_office: Organization, text: str) -> tuple[list[Organization], list[str]]:
    """The local election agencies of the State named one per line (name or FIPS code)."""
    agencies = Organization.objects.filter(kind=Organization.Kind.LOCAL_ELECTION_AGENCY, state=state_office.state)
    found, unknown = [], []
    for line in (text or "").splitlines():
        wanted = line.strip()
        if not wanted:
            continue
        match = agencies.filter(name__iexact=wanted).first() or agencies.filter(key__iendswith=wanted).first()
        if match is None:
            match = agencies.filter(name__istartswith=wanted).first() if len(wanted) >= 4 else None
        (found.append(match) if match is not None else unknown.append(wanted))
    return list(dict.fromkeys(found)), unknown


@transaction.atomic
def create_audit(actor: Actor, values: dict) -> Audit:
    """A State's audit: its name, the election, the audit type, the risk limit (percent, above 0 and
    at most 20) and the participating jurisdictions of that State."""
    actor.require(MANAGE)
    office = actor.organization
    if office is None or office.kind != Organization.Kind.STATE_ELECTION_OFFICE or office.state_id is None:
        raise PermissionDenied("a State election office runs its State's audits")
    errors: dict = {}
    name, election = (values.get("name") or "").strip(), (values.get("election") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = "Give the audit a name (at most 200 characters)."
    if not election or len(election) > 200:
        errors["election"] = "Name the election audited."
    if values.get("kind") not in dict(Audit.Kind.choices):
        errors["kind"] = "Choose the type of audit."
    try:
        risk = decimal.Decimal(str(values.get("risk_limit") or "").strip().rstrip("%"))
    except decimal.InvalidOperation:
        risk = decimal.Decimal(0)
    if not decimal.Decimal(0) < risk <= decimal.Decimal(20):
        errors["risk_limit"] = "A risk limit in percent, above 0 and at most 20 (e.g. 5 or 2.5)."
    found, unknown = _jurisdictions(office, values.get("jurisdictions") or "")
    if unknown:
        errors["jurisdictions"] = f"Not a local election agency of {office.state.name}: " + ", ".join(unknown[:10]) + "."
    elif not found:
        errors["jurisdictions"] = "Name at least one participating jurisdiction, one per line."
    if errors:
        raise ValidationError(errors)
    audit = create_numbered(
        Audit,
        "RLA",
        timezone.now().year,
        name=name,
        election=election,
        state=office.state,
        organization=office,
        kind=values["kind"],
        risk_limit=risk,
        created_by=actor.user,
    )
    for organization in found:
        Participant.objects.create(audit=audit, organization=organization)
    record(
        actor=actor.user,
        organization=office,
        action="audits:audit:create",
        obj=audit,
        summary={"kind": audit.kind, "risk_limit": str(risk), "jurisdictions": len(found)},
    )
    return audit


def _store(chunks, limit: int, what: str) -> tuple[str, int, Path]:
    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    digest, written = hashlib.sha256(), 0
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise ValidationError({"file": f"The {what} is larger than {limit // 1024 // 1024:,} MB."})
                digest.update(chunk)
                out.write(chunk)
        if written == 0:
            raise ValidationError({"file": f"The {what} is empty."})
        final = root / digest.hexdigest()
        os.replace(temporary, final)
        return digest.hexdigest(), written, final
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def upload(actor: Actor, participant: Participant, kind: str, name: str, chunks, *, cvr_format: str = "auto") -> Upload:
    """Store a jurisdiction's file and queue it for processing; a later file of the same kind
    replaces the current one once it is processed, until the audit is launched."""
    actor.require(UPLOAD)
    participant = visible_participants(actor).filter(pk=participant.pk).select_related("audit").first()
    if participant is None:
        raise PermissionDenied("that jurisdiction is outside your scope")
    if participant.audit.status != Audit.Status.SETUP:
        raise ValidationError("The audit is launched: its files can no longer be replaced.")
    if kind not in dict(Upload.Kind.choices):
        raise ValidationError({"kind": "Choose a ballot manifest, cast vote records or batch tallies."})
    if kind == Upload.Kind.BATCH_TALLIES and participant.audit.kind != Audit.Kind.BATCH_COMPARISON:
        raise ValidationError({"file": "Batch tallies are for a batch comparison audit."})
    if kind == Upload.Kind.CVR and cvr_format not in ("auto", *cvr.FORMATS):
        raise ValidationError({"cvr_format": "Choose the CVR format (or let safelect detect it)."})
    what = {Upload.Kind.MANIFEST: "ballot manifest", Upload.Kind.CVR: "cast vote record file"}.get(kind, "batch tally file")
    digest, size, _path = _store(chunks, MAX_CVR_BYTES if kind == Upload.Kind.CVR else MAX_MANIFEST_BYTES, what)
    from .tasks import process_upload_job

    with transaction.atomic():
        found = Upload.objects.create(
            participant=participant,
            kind=kind,
            cvr_format=cvr_format if kind == Upload.Kind.CVR else "",
            name=(name or what)[:200],
            size=size,
            sha256=digest,
            uploaded_by=actor.user,
            uploaded_at=timezone.now(),
        )
        process_upload_job.defer(upload_id=found.pk)
        record(
            actor=actor.user,
            organization=actor.organization,
            action="audits:file:upload",
            obj=participant.audit,
            summary={"jurisdiction": participant.organization.name, "kind": kind, "sha256": digest},
        )
    return found


def _table_text(path: Path, name: str, what: str) -> str:
    """A CSV or XLSX upload as CSV text, refused at the first cell that starts like a formula."""
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        text = _xlsx_as_csv(path, name)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(f"{name}: not UTF-8 text; save the {what} as CSV (UTF-8) or XLSX") from None
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = next((c for c in row if c[:1] in TRIGGERS), None)
        if cell is not None:
            raise ValidationError(f"{name} line {number}: the cell {cell[:40]!r} starts like a spreadsheet formula")
    return text


def _manifest(path: Path, name: str) -> dict:
    text = _table_text(path, name, "manifest")
    try:
        batches = read_manifest_text(text)
    except ManifestError as exc:
        raise ValidationError(str(exc).replace("manifest:", f"{name}:")) from None
    if not batches:
        raise ValidationError(f"{name}: no batch")
    keys = [(b.tabulator, b.name) for b in batches]
    if len(set(keys)) != len(keys):
        repeated = next(k for n, k in enumerate(keys) if keys.index(k) != n)
        raise ValidationError(f"{name}: batch {repeated[1]!r} of tabulator {repeated[0] or '(none)'} appears twice")
    return {
        "ballots": sum(b.ballots for b in batches),
        "batches": [{"tabulator": b.tabulator, "name": b.name, "ballots": b.ballots, "container": b.container} for b in batches],
    }


def _batch_tallies(path: Path, name: str) -> dict:
    """Reported votes per batch for a batch comparison audit: one row per batch, contest and choice
    (``Batch Name, Contest, Choice, Votes``; optional ``Tabulator`` and ``Vote For``)."""
    rows = csv.DictReader(io.StringIO(_table_text(path, name, "batch tallies")))
    header = [h.strip() for h in rows.fieldnames or []]
    missing = [c for c in TALLY_COLUMNS if c not in header]
    if missing:
        raise ValidationError(f"{name} line 1: missing column(s) {', '.join(missing)} (the columns are {', '.join(TALLY_COLUMNS)})")
    contests: dict[str, dict] = {}
    batches: dict[tuple[str, str], dict] = {}
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        batch, contest, choice, votes = (row[c] for c in TALLY_COLUMNS)
        if not batch or not contest or not choice:
            raise ValidationError(f"{name} line {number}: the batch, contest and choice are required")
        if not votes.isdigit():
            raise ValidationError(f"{name} line {number}: {votes!r} is not a whole number of votes")
        allowed = row.get("Vote For") or "1"
        if not allowed.isdigit() or int(allowed) < 1:
            raise ValidationError(f"{name} line {number}: Vote For {allowed!r} is not a whole number of at least 1")
        entry = contests.setdefault(contest, {"name": contest, "votes_allowed": int(allowed), "choices": {}, "ballots": 0})
        entry["choices"][choice] = entry["choices"].get(choice, 0) + int(votes)
        key = (row.get("Tabulator", ""), batch)
        counted = batches.setdefault(key, {"tabulator": key[0], "name": batch, "votes": {}}).setdefault("votes", {}).setdefault(contest, {})
        if choice in counted:
            raise ValidationError(f"{name} line {number}: {choice!r} of {contest!r} in batch {batch!r} appears twice")
        counted[choice] = int(votes)
    if not batches:
        raise ValidationError(f"{name}: no batch")
    return {"contests": list(contests.values()), "batches": list(batches.values()), "cards": None}


def _xlsx_as_csv(path: Path, name: str) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(f"{name}: not a readable XLSX workbook") from None
    out = io.StringIO()
    writer = csv.writer(out)
    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        cells = ["" if v is None else str(v) for v in row]
        if any(c.startswith("=") for c in cells):
            raise ValidationError(f"{name} row {number}: a formula; the manifest must hold the numbers themselves")
        writer.writerow(cells)
    return out.getvalue()


def process_upload(upload_id: int) -> Upload:
    """Read one queued file (safe to run twice: a processed or refused file is left as it is)."""
    with transaction.atomic():
        found = Upload.objects.select_for_update().select_related("participant__audit").get(pk=upload_id)
        if found.status != Upload.Status.QUEUED:
            return found
        found.status = Upload.Status.PROCESSING
        found.save(update_fields=["status"])
    path = store_root() / found.sha256
    try:
        if found.kind == Upload.Kind.MANIFEST:
            result = _manifest(path, found.name)
        elif found.kind == Upload.Kind.BATCH_TALLIES:
            result = _batch_tallies(path, found.name)
        else:
            try:
                result = cvr.tally(path, found.cvr_format or "auto").as_json()
                if found.participant.audit.kind == Audit.Kind.BALLOT_COMPARISON:
                    result.update(card_places(path, result["format"]))
            except cvr.CvrError as exc:
                raise ValidationError(str(exc).replace(path.name, found.name)) from None
    except ValidationError as refused:
        with transaction.atomic():
            found.status, found.error, found.processed_at = Upload.Status.FAILED, " ".join(refused.messages)[:5000], timezone.now()
            found.save(update_fields=["status", "error", "processed_at"])
        if not Upload.objects.filter(sha256=found.sha256).exclude(pk=found.pk).exclude(status=Upload.Status.FAILED).exists():
            path.unlink(missing_ok=True)  # nothing of a refused file is kept but its refusal
        return found
    with transaction.atomic():
        found.status, found.result, found.processed_at = Upload.Status.PROCESSED, result, timezone.now()
        found.save(update_fields=["status", "result", "processed_at"])
        Upload.objects.filter(participant=found.participant, kind=found.kind, status=Upload.Status.PROCESSED).exclude(pk=found.pk).update(
            status=Upload.Status.SUPERSEDED
        )
        if found.kind != Upload.Kind.MANIFEST:
            rebuild_contests(found.participant.audit)
    return found


def reported_kind(audit: Audit) -> str:
    """Where an audit's reported results come from: batch tallies for batch comparison, else CVRs."""
    return Upload.Kind.BATCH_TALLIES if audit.kind == Audit.Kind.BATCH_COMPARISON else Upload.Kind.CVR


def _current_tallies(audit: Audit) -> list[tuple[Participant, dict]]:
    out = []
    for participant in audit.participants.select_related("organization"):
        current = participant.current(reported_kind(audit))
        if current is not None:
            out.append((participant, current.result))
    return out


def rebuild_contests(audit: Audit) -> None:
    """The audit's contests from the jurisdictions' current CVR tallies under their standard names:
    votes and cards added up; targets kept for the names that remain."""
    totals: dict[str, dict] = {}
    for participant, tally in _current_tallies(audit):
        for contest in tally["contests"]:
            standard = participant.contest_names.get(contest["name"], contest["name"])
            entry = totals.setdefault(standard, {"votes_allowed": 1, "choices": {}, "ballots": 0})
            entry["votes_allowed"] = max(entry["votes_allowed"], contest["votes_allowed"])
            entry["ballots"] += contest["ballots"]
            for choice, votes in contest["choices"].items():
                entry["choices"][choice] = entry["choices"].get(choice, 0) + votes
    audit.contests.exclude(name__in=list(totals)).delete()
    for name, entry in totals.items():
        entry["num_winners"] = max(1, min(entry["votes_allowed"], len(entry["choices"]) - 1))
        Contest.objects.update_or_create(audit=audit, name=name[:300], defaults=entry)


@transaction.atomic
def standardise(actor: Actor, participant: Participant, mapping: dict[str, str]) -> Participant:
    """Name a jurisdiction's contests as the audit names them (``{their name: standard name}``)."""
    actor.require(MANAGE)
    participant = visible_participants(actor).select_for_update(of=("self",)).filter(pk=participant.pk).first()
    if participant is None:
        raise PermissionDenied("only the State that runs the audit standardises its contest names")
    require_runs(actor, participant.audit, "standardises its contest names")
    if participant.audit.status != Audit.Status.SETUP:
        raise ValidationError("The audit is launched.")
    current = participant.current(reported_kind(participant.audit))
    known = {c["name"] for c in (current.result["contests"] if current else [])}
    unknown = [k for k in mapping if k not in known]
    if unknown:
        raise ValidationError(f"Not a contest of {participant.organization.name}'s cast vote records: {', '.join(unknown)}")
    participant.contest_names = {k: (v or k).strip()[:300] for k, v in mapping.items() if (v or k).strip() != k}
    participant.save(update_fields=["contest_names"])
    rebuild_contests(participant.audit)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:contest:standardise",
        obj=participant.audit,
        summary={"jurisdiction": participant.organization.name, "renamed": len(participant.contest_names)},
    )
    return participant


@transaction.atomic
def set_targets(actor: Actor, audit: Audit, names: list[str]) -> list[Contest]:
    """The contests the audit must confirm (targeted); the others are audited opportunistically."""
    require_runs(actor, audit, "chooses its contests")
    if audit.status != Audit.Status.SETUP:
        raise ValidationError("The audit is launched.")
    unknown = [n for n in names if not audit.contests.filter(name=n).exists()]
    if unknown:
        raise ValidationError(f"Not a contest of this audit: {', '.join(unknown)}")
    if audit.kind == Audit.Kind.BATCH_COMPARISON and len(set(names)) > 1:
        raise ValidationError("A batch comparison audit targets one contest (MACRO here measures one contest).")
    audit.contests.update(targeted=False)
    audit.contests.filter(name__in=names).update(targeted=True)
    record(actor=actor.user, organization=actor.organization, action="audits:contest:target", obj=audit, summary={"targeted": names})
    return list(audit.contests.filter(targeted=True))


def readiness(audit: Audit) -> list[dict]:
    """Per jurisdiction: its current files and the problems that block the audit, each in words
    (no manifest; no CVRs for a comparison audit; CVR cards that do not match the manifest, in total
    and — for ballot comparison — batch by batch; batch tallies for batches the manifest lacks)."""
    rows = []
    for participant in audit.participants.select_related("organization"):
        manifest, records = participant.current(Upload.Kind.MANIFEST), participant.current(Upload.Kind.CVR)
        tallies = participant.current(Upload.Kind.BATCH_TALLIES)
        problems = []
        if manifest is None:
            problems.append("No ballot manifest yet.")
        if records is None and audit.kind == Audit.Kind.BALLOT_COMPARISON:
            problems.append("No cast vote records yet (a ballot comparison audit needs them).")
        if tallies is None and audit.kind == Audit.Kind.BATCH_COMPARISON:
            problems.append("No batch tallies yet (a batch comparison audit needs them).")
        if manifest is not None and records is not None and manifest.result["ballots"] != records.result["cards"]:
            problems.append(
                f"The manifest lists {manifest.result['ballots']:,} ballots but the cast vote records hold {records.result['cards']:,} cards."
            )
        elif manifest is not None and records is not None and audit.kind == Audit.Kind.BALLOT_COMPARISON:
            problems.extend(_batch_mismatches(manifest.result, records.result))
        if manifest is not None and tallies is not None:
            known = {(b["tabulator"] or "", b["name"]) for b in manifest.result["batches"]}
            unknown = [b["name"] for b in tallies.result["batches"] if (b["tabulator"], b["name"]) not in known]
            if unknown:
                problems.append(f"Batch tallies for batches the manifest does not list: {', '.join(unknown[:10])}.")
        rows.append({"participant": participant, "manifest": manifest, "cvr": records, "problems": problems})
    return rows


def _batch_mismatches(manifest: dict, records: dict) -> list[str]:
    """For ballot comparison each sampled ballot is looked up in the CVRs by its batch and position,
    so each batch must hold as many cards as the manifest says (see ``card_places``)."""
    if records.get("unplaced"):
        return [
            f"{records['unplaced']:,} cards do not say their batch and position; a ballot comparison audit needs them "
            "(ES&S: export with the Tabulator and Batch columns; NIST: BatchId and BatchSequenceId)."
        ]
    counts = records.get("batches") or {}
    by_name = records.get("no_tabulator", False)
    out = []
    for batch in manifest["batches"]:
        key = batch["name"] if by_name else f"{batch['tabulator'] or ''}/{batch['name']}"
        found = counts.get(key, 0)
        if found != batch["ballots"]:
            label = batch["name"] if not batch["tabulator"] else f"{batch['name']} (tabulator {batch['tabulator']})"
            out.append(f"Batch {label}: the manifest lists {batch['ballots']:,} ballots, the cast vote records {found:,} cards.")
    return out[:20]


def card_places(path: Path, cvr_format: str) -> dict:
    """Cards per batch of a CVR file (key ``tabulator/batch``, or the batch alone when the format has
    no tabulator), and the number of cards without a place."""
    from safelect.rla.cvr.cards import places

    counts: dict[str, int] = {}
    unplaced, tabulators = 0, set()
    for place in places(path, cvr_format or "auto"):
        if place is None:
            unplaced += 1
            continue
        tabulators.add(place[0])
        key = f"{place[0]}/{place[1]}"
        counts[key] = counts.get(key, 0) + 1
    if tabulators == {""}:
        counts = {key.removeprefix("/"): n for key, n in counts.items()}
    return {"batches": counts, "unplaced": unplaced, "no_tabulator": tabulators == {""}}
