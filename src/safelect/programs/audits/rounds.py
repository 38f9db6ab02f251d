"""Launching an audit with its public seed, the sample-size options, and drawing a round across the
jurisdictions with ``safelect.rla``'s consistent sampler (the one Arlo uses), so that any observer
can reproduce the draw with ``safelect rla draw`` from the published manifests and seed.

* **Launch** fixes the files (no replacement after it) and the seed: at least 20 decimal digits
  from a public dice-rolling ceremony, entered by the State's administrator and shown on the audit
  page to everyone who may see the audit before anything is drawn.
* **Sample sizes**: ballot polling (BRAVO) — the sizes that finish the closest pair of each targeted
  contest in one round with probability 70 %, 80 % and 90 % and the average sample number; ballot
  comparison (super-simple) — the size with no discrepancies expected and with a one-vote
  overstatement rate of 0.1 %. The universe is every ballot in the participants' manifests (the
  diluted margin is over all of them). Batch comparison (MACRO): see ``batches``.
* **Draw**: ballot ids are Arlo's ``((jurisdiction, tabulator, batch), position)``; ballot polling
  draws with replacement, comparison without; round *k* takes the draws after the earlier rounds'
  (``--previous`` in the observer's command). A ballot-comparison draw carries its card's CVR.
  Batch comparison draws batches with PPEB (``batches.draw_batches``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.exports import csv_bytes
from safelect.core.journal.services import record
from safelect.rla.bravo import bravo_asn, bravo_sample_size
from safelect.rla.comparison import supersimple_sample_size
from safelect.rla.contest import ContestError, parse_contest
from safelect.rla.sampling import consistent_sample

from .access import require_runs
from .models import Audit, Draw, Round, Upload
from .services import readiness

MIN_SEED_DIGITS = 20
MAX_DRAWS = 100_000


def manifests(audit: Audit) -> list[tuple[object, dict]]:
    """(participant, current manifest result) for every participant, in name order."""
    out = []
    for participant in audit.participants.select_related("organization").order_by("organization__name"):
        current = participant.current(Upload.Kind.MANIFEST)
        if current is not None:
            out.append((participant, current.result))
    return out


def universe(audit: Audit) -> int:
    return sum(result["ballots"] for _p, result in manifests(audit))


@transaction.atomic
def launch(actor: Actor, audit: Audit, seed: str) -> Audit:
    require_runs(actor, audit, "launches it and draws its rounds")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Audit.Status.SETUP:
        raise ValidationError("The audit is already launched.")
    seed = (seed or "").strip()
    if not seed.isdigit() or len(seed) < MIN_SEED_DIGITS or len(seed) > 100:
        raise ValidationError({"seed": f"The seed is the {MIN_SEED_DIGITS} or more digits rolled at the public ceremony, digits only."})
    blocking = [f"{row['participant'].organization.name}: {p}" for row in readiness(audit) for p in row["problems"]]
    if blocking:
        raise ValidationError(["The audit cannot be launched yet:", *blocking])
    if not audit.contests.filter(targeted=True).exists():
        raise ValidationError("Choose at least one targeted contest first.")
    audit.seed, audit.status, audit.launched_at, audit.launched_by = seed, Audit.Status.LAUNCHED, timezone.now(), actor.user
    audit.save(update_fields=["seed", "status", "launched_at", "launched_by"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:audit:launch",
        obj=audit,
        summary={"seed": seed, "ballots": universe(audit)},
    )
    return audit


def contest_json(contest, ballots: int) -> dict:
    """A contest as ``safelect rla`` reads it (docs/rla.md): what the measurement uses and what the
    observer kit publishes, from this one place so that both always agree. ``ballots`` is the
    audit's universe (every ballot in the manifests)."""
    return {
        "name": contest.name,
        "choices": contest.choices,
        "ballots_cast": max(ballots, contest.ballots),
        "votes_allowed": contest.votes_allowed,
        "num_winners": contest.num_winners,
    }


def reported_contest(contest, ballots: int):
    return parse_contest(contest_json(contest, ballots))


def options(audit: Audit) -> list[dict]:
    """Sample-size options for round 1 (see the module docstring), largest contest need first."""
    ballots = universe(audit)
    if not ballots:
        return []
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        from .batches import batch_options

        return batch_options(audit)
    alpha = float(audit.risk_limit) / 100
    out = []
    for contest in audit.contests.filter(targeted=True):
        try:
            reported = reported_contest(contest, ballots)
        except ContestError as exc:
            out.append({"contest": contest.name, "problem": str(exc)})
            continue
        if audit.kind == Audit.Kind.BALLOT_POLLING:
            sizes = [(f"{int(p * 100)} % chance of finishing in one round", bravo_sample_size(reported, alpha, p)) for p in (0.7, 0.8, 0.9)]
            sizes.append(("average sample number (BRAVO)", bravo_asn(reported, alpha)))
        else:
            margin = reported.min_diluted_margin()
            sizes = [
                ("no discrepancies expected", supersimple_sample_size(alpha, margin, ballots)),
                ("one-vote overstatements in 0.1 % of ballots", supersimple_sample_size(alpha, margin, ballots, o1_rate=0.001)),
            ]
        out.append(
            {
                "contest": contest.name,
                "margin": reported.min_diluted_margin(),
                "sizes": [{"label": label, "size": size.size, "text": str(size)} for label, size in sizes],
            }
        )
    return out


def _next_number(audit: Audit) -> tuple[int, int]:
    """(number, draws before it) of the round to draw next; refused while the latest is unmeasured."""
    latest = audit.rounds.order_by("-number").first()
    if latest is None:
        return 1, 0
    if latest.measured_at is None:
        raise ValidationError(f"Measure round {latest.number} before drawing another.")
    return latest.number + 1, latest.previous + latest.sample_size


@transaction.atomic
def draw_round(actor: Actor, audit: Audit, sample_size: int, chosen: str = "") -> Round:
    """Draw the next round of ``sample_size`` draws across the jurisdictions: ballots (the consistent
    sampler, continuing after the earlier rounds' draws) or, for batch comparison, batches (PPEB)."""
    require_runs(actor, audit, "launches it and draws its rounds")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status == Audit.Status.SETUP:
        raise ValidationError("Launch the audit (fix its seed) before drawing.")
    if audit.status != Audit.Status.LAUNCHED:
        raise ValidationError(f"The audit is {audit.get_status_display().lower()}: no more rounds are drawn.")
    number, previous = _next_number(audit)
    try:
        size = int(sample_size)
    except (TypeError, ValueError):
        raise ValidationError({"sample_size": "A whole number of draws."}) from None
    if not 1 <= size <= MAX_DRAWS:
        raise ValidationError({"sample_size": f"Between 1 and {MAX_DRAWS:,} draws."})
    polling = audit.kind == Audit.Kind.BALLOT_POLLING
    made = Round.objects.create(
        audit=audit,
        number=number,
        sample_size=size,
        previous=previous,
        with_replacement=audit.kind != Audit.Kind.BALLOT_COMPARISON,
        chosen=chosen[:200],
        drawn_at=timezone.now(),
        drawn_by=actor.user,
    )
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        from .batches import draw_batches

        Draw.objects.bulk_create(draw_batches(audit, made))
    else:
        by_key, batches = {}, []
        for participant, result in manifests(audit):
            for batch in result["batches"]:
                key = (participant.organization.name, batch["tabulator"], batch["name"])
                by_key[key] = (participant, batch)
                batches.append((key, batch["ballots"]))
        if not polling and previous + size > sum(n for _k, n in batches):
            raise ValidationError({"sample_size": "More ballots than the manifests hold: that is a full hand count."})
        draws = [
            Draw(
                round=made,
                participant=by_key[d.id[0]][0],
                tabulator=d.id[0][1] or "",
                batch=d.id[0][2],
                container=by_key[d.id[0]][1].get("container") or "",
                position=d.id[1],
                ticket=d.ticket,
                generation=d.generation,
            )
            for d in consistent_sample(audit.seed, batches, size, with_replacement=polling, previous=previous)
        ]
        if audit.kind == Audit.Kind.BALLOT_COMPARISON:
            attach_cvrs(draws)
        Draw.objects.bulk_create(draws)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:round:draw",
        obj=audit,
        summary={"round": number, "sample_size": size, "previous": previous, "chosen": chosen},
    )
    return made


def attach_cvrs(draws: list[Draw]) -> None:
    """Give each drawn ballot the cast vote record of its card, read from its jurisdiction's current
    CVR file by place (tabulator, batch, position; the batch alone when the format names no
    tabulator). A ballot whose card is not found is marked ``cvr_missing`` and measured as the worst
    case (a CVR showing every winner)."""
    from safelect.rla.cvr.cards import cards

    from .services import store_root

    by_participant: dict[int, list[Draw]] = {}
    for draw in draws:
        by_participant.setdefault(draw.participant.pk, []).append(draw)
    for group in by_participant.values():
        participant = group[0].participant
        current = participant.current(Upload.Kind.CVR)
        wanted = {(d.tabulator, d.batch, d.position) for d in group}
        found: dict[tuple, dict] = {}
        renamed = participant.contest_names
        path, fmt = store_root() / current.sha256, current.result.get("format") or current.cvr_format or "auto"
        for card in cards(path, fmt, wanted=wanted):
            found[card.place] = {renamed.get(name, name): sorted(chosen) for name, chosen in card.marks.items()}
        for draw in group:
            got = found.get((draw.tabulator, draw.batch, draw.position))
            if got is None:
                got = found.get(("", draw.batch, draw.position))
            draw.cvr, draw.cvr_missing = got, got is None


def retrieval_rows(draws) -> list[list]:
    """A retrieval list in the order boards walk the storage: container, tabulator, batch, position
    (a ballot drawn twice appears once, with both tickets)."""
    grouped: dict[tuple, list[str]] = {}
    for draw in draws:
        grouped.setdefault((draw.container, draw.tabulator, draw.batch, draw.position), []).append(draw.ticket)
    return [
        [c, t, b, p or "whole batch", " ".join(tickets), len(tickets)]
        for (c, t, b, p), tickets in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3]))
    ]


RETRIEVAL_HEADER = ["Container", "Tabulator", "Batch Name", "Ballot Position", "Ticket Numbers", "Times Drawn"]


def retrieval_csv(draws) -> bytes:
    return csv_bytes([RETRIEVAL_HEADER, *retrieval_rows(draws)])


def combined_manifest_csv(audit: Audit) -> bytes:
    """The manifests of every participant in one file with a Jurisdiction column: what an observer
    gives ``safelect rla draw`` to reproduce the draw."""
    rows = [["Jurisdiction", "Tabulator", "Batch Name", "Number of Ballots", "Container"]]
    for participant, result in manifests(audit):
        for batch in result["batches"]:
            rows.append(
                [participant.organization.name, batch["tabulator"] or "", batch["name"], batch["ballots"], batch.get("container") or ""]
            )
    return csv_bytes(rows)


def observer_command(audit: Audit, rnd: Round, contest_file: str = "contest-1.json") -> str:
    """The exact command that reproduces a round's draw: from the combined manifest, or for batch
    comparison from the contest JSON with its batches (the observer kit's ``contest-1.json``)."""
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        previous = f" --previous {rnd.previous}" if rnd.previous else ""
        return f"safelect rla draw-batches --seed {audit.seed} --contest {contest_file} --sample-size {rnd.sample_size}{previous}"
    flags = " --with-replacement" if rnd.with_replacement else ""
    previous = f" --previous {rnd.previous}" if rnd.previous else ""
    return f"safelect rla draw --seed {audit.seed} --manifest {audit.reference}-manifests.csv --sample-size {rnd.sample_size}{previous}{flags} --id-format arlo"
