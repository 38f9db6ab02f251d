"""Batch comparison (MACRO with PPEB sampling) and the full hand count, both counted batch by batch
(S.2261 §5(d): audits of paper ballots with high statistical confidence; H.R. 5011 §298).

* **The contest** of a batch-comparison audit is its one targeted contest with every batch of every
  participant's manifest, named ``Jurisdiction / Tabulator / Batch`` (``Jurisdiction / Batch``
  without a tabulator), with the votes the jurisdiction reported for it in its batch tallies (none
  for a batch without a tally row). It is published in the observer kit as ``safelect rla`` contest
  JSON; ``safelect rla draw-batches`` reproduces the draw from it and the seed.
* **Draws**: PPEB, with replacement: draw *k* of the audit picks the batch whose share of the total
  error bound contains ``SHA-256("<seed>,<k>")`` (``safelect.rla.macro.ppeb_sample``). A batch drawn
  twice is counted by hand once and counts twice.
* **Hand tallies**: the jurisdiction enters the votes counted by hand in each sampled batch (every
  contest's choices); a batch of a full hand count is entered the same way. One record per batch and
  purpose, entered once.
* **Full hand count**: when the State escalates, every batch in the manifests is counted; when the
  last batch is entered the audit ends with the hand-count totals, which decide the outcome.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.rla.contest import Contest, ContestError, parse_contest
from safelect.rla.macro import macro_sample_size, ppeb_sample

from .access import require_runs, visible_participants
from .models import Audit, BatchTally, Draw, Participant, Round, Upload
from .permissions import MANAGE, UPLOAD

MAX_BATCH_VOTES = 10_000_000


def _label(jurisdiction: str, tabulator: str, batch: str) -> str:
    return " / ".join(part for part in (jurisdiction, tabulator, batch) if part)


def batch_name(participant: Participant, tabulator: str, batch: str) -> str:
    """A batch's name in the audit's contest JSON: ``Jurisdiction / Tabulator / Batch``."""
    return _label(participant.organization.name, tabulator, batch)


def batch_draws(audit: Audit) -> list[tuple[str, dict]]:
    """Every PPEB draw so far, in order, as (batch name, the votes counted by hand in it per contest):
    what MACRO measures and what the observer kit's sample file lists."""
    tallies = {
        (t.participant_id, t.tabulator, t.batch): t.votes or {} for t in audit.batch_tallies.filter(purpose=BatchTally.Purpose.SAMPLE)
    }
    return [
        (batch_name(draw.participant, draw.tabulator, draw.batch), tallies[(draw.participant_id, draw.tabulator, draw.batch)])
        for draw in Draw.objects.filter(round__audit=audit).select_related("participant__organization").order_by("round__number", "pk")
    ]


def _reported(audit: Audit) -> dict[tuple[int, str, str], dict]:
    """(participant id, tabulator, batch) → {contest: {choice: votes}} from the current batch tallies."""
    out = {}
    for participant in audit.participants.all():
        current = participant.current(Upload.Kind.BATCH_TALLIES)
        for batch in current.result["batches"] if current else []:
            renamed = {participant.contest_names.get(k, k): v for k, v in batch["votes"].items()}
            out[(participant.pk, batch["tabulator"] or "", batch["name"])] = renamed
    return out


def contest_json(audit: Audit) -> dict:
    """The targeted contest with its batches, as ``safelect rla`` reads it (docs/rla.md)."""
    from .rounds import contest_json as base
    from .rounds import manifests, universe

    contest = audit.contests.filter(targeted=True).first()
    if contest is None:
        raise ValidationError("Choose the targeted contest first.")
    reported = _reported(audit)
    data = base(contest, universe(audit))
    data["batches"] = [
        {
            "name": batch_name(participant, batch["tabulator"] or "", batch["name"]),
            "ballots": batch["ballots"],
            "votes": reported.get((participant.pk, batch["tabulator"] or "", batch["name"]), {}).get(contest.name, {}),
        }
        for participant, result in manifests(audit)
        for batch in result["batches"]
    ]
    return data


def macro_contest(audit: Audit) -> Contest:
    try:
        return parse_contest(contest_json(audit))
    except ContestError as exc:
        raise ValidationError(f"The reported results cannot be audited: {exc}") from None


def batch_options(audit: Audit) -> list[dict]:
    """Draws needed if no batch has any error (MACRO), for the sample-size choice."""
    contest = macro_contest(audit)
    size = macro_sample_size(contest, float(audit.risk_limit) / 100)
    return [
        {
            "contest": contest.name,
            "margin": contest.min_diluted_margin(),
            "sizes": [{"label": "no error in any batch expected", "size": size.size, "text": f"{size} batches"}],
        }
    ]


def draw_batches(audit: Audit, made: Round) -> list[Draw]:
    """The round's PPEB draws, after the earlier rounds'."""
    from .rounds import manifests

    contest = macro_contest(audit)
    places = {
        batch_name(participant, batch["tabulator"] or "", batch["name"]): (participant, batch)
        for participant, result in manifests(audit)
        for batch in result["batches"]
    }
    seen: dict[str, int] = {}
    for parts in Draw.objects.filter(round__audit=audit).values_list("participant__organization__name", "tabulator", "batch"):
        key = _label(*parts)
        seen[key] = seen.get(key, 0) + 1
    out = []
    for k, name in ppeb_sample(audit.seed, contest, made.sample_size, previous=made.previous):
        participant, batch = places[name]
        seen[name] = seen.get(name, 0) + 1
        out.append(
            Draw(
                round=made,
                participant=participant,
                tabulator=batch["tabulator"] or "",
                batch=batch["name"],
                container=batch.get("container") or "",
                position=0,
                ticket=str(k),
                generation=seen[name],
            )
        )
    tallies = {(t.participant_id, t.tabulator, t.batch) for t in BatchTally.objects.filter(audit=audit, purpose=BatchTally.Purpose.SAMPLE)}
    fresh = {}
    for draw in out:
        key = (draw.participant.pk, draw.tabulator, draw.batch)
        if key not in tallies and key not in fresh:
            fresh[key] = BatchTally(
                audit=audit,
                participant=draw.participant,
                purpose=BatchTally.Purpose.SAMPLE,
                tabulator=draw.tabulator,
                batch=draw.batch,
                container=draw.container,
                ballots=places[batch_name(draw.participant, draw.tabulator, draw.batch)][1]["ballots"],
            )
    BatchTally.objects.bulk_create(fresh.values())
    return out


def visible_tallies(actor: Actor):
    return BatchTally.objects.filter(participant__in=visible_participants(actor)).select_related("participant__organization", "audit")


@transaction.atomic
def record_tally(actor: Actor, tally: BatchTally, votes: dict[str, dict[str, str]]) -> BatchTally:
    """Enter the votes counted by hand in one batch: ``votes`` maps each contest of the audit to
    {choice: votes}; every choice is required (0 when none). Entered once."""
    if not (actor.may(UPLOAD) or actor.may(MANAGE)):
        raise PermissionDenied("you may not enter hand tallies")
    tally = visible_tallies(actor).select_for_update(of=("self",)).filter(pk=tally.pk).first()
    if tally is None:
        raise PermissionDenied("that batch is outside your scope")
    if tally.recorded_at is not None:
        raise ValidationError("This batch's hand tally is already entered.")
    audit = tally.audit
    wanted = Audit.Status.HAND_COUNT if tally.purpose == BatchTally.Purpose.HAND_COUNT else Audit.Status.LAUNCHED
    if audit.status != wanted:
        raise ValidationError(f"The audit is {audit.get_status_display().lower()}: this tally is closed.")
    counted, errors = {}, {}
    for contest in audit.contests.all():
        given = (votes or {}).get(contest.name) or {}
        counted[contest.name] = {}
        for choice in contest.choices:
            text = str(given.get(choice, "")).strip().replace(",", "")
            if not text.isdigit() or int(text) > MAX_BATCH_VOTES:
                errors[f"{contest.name}: {choice}"] = f"Votes for {choice} in {contest.name}: a whole number (0 when none)."
                continue
            counted[contest.name][choice] = int(text)
        if sum(counted[contest.name].values()) > tally.ballots * contest.votes_allowed:
            errors[contest.name] = f"{contest.name}: more votes than {tally.ballots:,} ballots can hold."
    if errors:
        raise ValidationError(list(errors.values()))
    tally.votes, tally.recorded_at, tally.recorded_by = counted, timezone.now(), actor.user
    tally.save(update_fields=["votes", "recorded_at", "recorded_by"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:batch:tally",
        obj=audit,
        summary={"jurisdiction": tally.participant.organization.name, "batch": tally.batch, "purpose": tally.purpose},
    )
    if (
        tally.purpose == BatchTally.Purpose.HAND_COUNT
        and not audit.batch_tallies.filter(purpose=BatchTally.Purpose.HAND_COUNT, recorded_at__isnull=True).exists()
    ):
        _finish_hand_count(audit)
    return tally


@transaction.atomic
def start_hand_count(actor: Actor, audit: Audit) -> int:
    """Escalate to a full hand count of every batch in the manifests; returns the batches to count."""
    from .rounds import manifests

    require_runs(actor, audit, "escalates it to a full hand count")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Audit.Status.LAUNCHED:
        raise ValidationError(f"The audit is {audit.get_status_display().lower()}.")
    latest = audit.rounds.order_by("-number").first()
    if latest is None or latest.measured_at is None:
        raise ValidationError("Escalate after measuring a round.")
    made = [
        BatchTally(
            audit=audit,
            participant=participant,
            purpose=BatchTally.Purpose.HAND_COUNT,
            tabulator=batch["tabulator"] or "",
            batch=batch["name"],
            container=batch.get("container") or "",
            ballots=batch["ballots"],
        )
        for participant, result in manifests(audit)
        for batch in result["batches"]
    ]
    BatchTally.objects.bulk_create(made)
    audit.status = Audit.Status.HAND_COUNT
    audit.save(update_fields=["status"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:audit:hand_count",
        obj=audit,
        summary={"after_round": latest.number, "batches": len(made)},
    )
    return len(made)


def hand_count_totals(audit: Audit) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for tally in audit.batch_tallies.filter(purpose=BatchTally.Purpose.HAND_COUNT, recorded_at__isnull=False):
        for contest, choices in tally.votes.items():
            into = totals.setdefault(contest, {})
            for choice, n in choices.items():
                into[choice] = into.get(choice, 0) + n
    return totals


def _finish_hand_count(audit: Audit) -> None:
    """The hand count decides: each targeted contest's winners by the counted votes, compared with
    the reported ones."""
    totals = hand_count_totals(audit)
    lines = []
    for contest in audit.contests.filter(targeted=True):
        counted = totals.get(contest.name, {})
        ranked = sorted(counted, key=lambda c: -counted[c])
        winners = ranked[: contest.num_winners]
        reported = sorted(contest.choices, key=lambda c: -contest.choices[c])[: contest.num_winners]
        verdict = "confirms the reported outcome" if set(winners) == set(reported) else "does NOT confirm the reported outcome"
        lines.append(f"{contest.name}: the full hand count ({', '.join(f'{c} {counted[c]:,}' for c in ranked)}) {verdict}.")
    audit.status, audit.completed_at, audit.outcome = Audit.Status.COMPLETE, timezone.now(), " ".join(lines)
    audit.save(update_fields=["status", "completed_at", "outcome"])
    record(organization=audit.organization, action="audits:audit:complete", obj=audit, summary={"outcome": audit.outcome})


def _progress(tallies) -> dict:
    rows: dict[str, dict] = {}
    for tally in tallies.select_related("participant__organization"):
        row = rows.setdefault(
            tally.participant.organization.name, {"jurisdiction": tally.participant.organization.name, "done": 0, "total": 0}
        )
        row["total"] += 1
        row["done"] += tally.recorded_at is not None
    return {"rows": list(rows.values()), "done": sum(r["done"] for r in rows.values()), "total": sum(r["total"] for r in rows.values())}


def round_progress(current: Round) -> dict:
    """Sampled batches whose hand tally is entered, per jurisdiction (all rounds so far)."""
    return _progress(current.audit.batch_tallies.filter(purpose=BatchTally.Purpose.SAMPLE))


def hand_count_progress(audit: Audit) -> dict:
    """Batches of the full hand count entered, per jurisdiction, and the totals so far."""
    found = _progress(audit.batch_tallies.filter(purpose=BatchTally.Purpose.HAND_COUNT))
    found["totals"] = hand_count_totals(audit)
    return found
