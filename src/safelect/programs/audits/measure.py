"""Measuring a round, and what follows it (S.2261 §5(d); H.R. 5011 §298): the risk of each targeted
contest over every draw so far, with ``safelect.rla``'s statistics.

* **Ballot polling (BRAVO)**: each draw counts with its ballot's reading (a ballot read in an earlier
  round keeps that reading); an overvoted or blank contest counts for no one; a ballot not found
  counts for every loser.
* **Ballot comparison (super-simple, Kaplan–Markov)**: each draw's overstatement compares its card's
  CVR with the board's reading; a card missing from the CVRs is read as showing every winner and a
  ballot not found as a two-vote overstatement (the worst cases).
* **Batch comparison (MACRO)**: each draw's batch compares its reported votes with its hand tally.

Contests at or below the risk limit are confirmed; when every targeted contest is, the audit is
complete. Opportunistic contests (not targeted) are measured on the same ballots and reported, but
neither size the rounds nor hold the audit open (batch comparison measures its one targeted contest). Otherwise
the round recommends the next round's size: the statistics of all three methods multiply over
draws, so the next round is sized for the risk still to be removed, ``risk limit / measured risk``
(ballot polling: a 90 % chance of finishing; batch comparison: no error expected); for ballot
comparison the next round is the classic super-simple rule — the total sample that meets the limit with
the discrepancies seen so far and no more (``nmin``), less the draws made. When that size reaches the ballots (or batches)
left, the recommendation is a full hand count — the State may escalate at any time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.rla.bravo import bravo_risk, bravo_sample_size
from safelect.rla.comparison import count_discrepancies, km_p_value, nmin, overstatement
from safelect.rla.contest import ContestError
from safelect.rla.macro import macro_p_value, macro_sample_size

from .access import require_runs
from .boards import progress
from .models import Audit, BallotRecord, BatchTally, Draw, Round
from .rounds import reported_contest, universe


def _reading(ballot: BallotRecord, contest: str) -> frozenset[str] | None:
    """The board's reading of one contest (None: the ballot was not found)."""
    if ballot.not_found:
        return None
    read = (ballot.votes or {}).get(contest) or {"choices": []}
    return frozenset() if read.get("overvote") or read.get("blank") else frozenset(read["choices"])


def _ballot_draws(audit: Audit) -> list[tuple[Draw, BallotRecord]]:
    records = {(r.participant_id, r.tabulator, r.batch, r.position): r for r in BallotRecord.objects.filter(round__audit=audit)}
    out = []
    for draw in Draw.objects.filter(round__audit=audit).order_by("round__number", "ticket"):
        found = records.get((draw.participant_id, draw.tabulator, draw.batch, draw.position))
        if found is None or found.recorded_at is None:
            raise ValidationError("A sampled ballot is not recorded yet.")
        out.append((draw, found))
    return out


def _check_done(audit: Audit, current: Round, state: dict | None = None) -> None:
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        if audit.batch_tallies.filter(purpose=BatchTally.Purpose.SAMPLE, recorded_at__isnull=True).exists():
            raise ValidationError("Every sampled batch's hand tally must be entered first.")
        return
    state = state or progress(current)
    if state["jurisdictions_without_boards"] or not state["all_signed_off"]:
        raise ValidationError("Every jurisdiction's boards must record their ballots and sign off first.")


def ready(audit: Audit, current: Round | None, state: dict | None = None) -> bool:
    """Whether the latest round can be measured now (for the page's button; ``state``: the round's
    ``boards.progress`` when the page already has it)."""
    if current is None or current.measured_at is not None or audit.status != Audit.Status.LAUNCHED:
        return False
    try:
        _check_done(audit, current, state)
    except ValidationError:
        return False
    return True


def _sample(audit: Audit) -> dict:
    """What every contest's measurement reads, read once: the ballots in the manifests and the draws
    with their readings (batch comparison: the batch draws with their hand tallies)."""
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        from .batches import batch_draws

        return {"batch_draws": batch_draws(audit)}
    return {"universe": universe(audit), "ballot_draws": _ballot_draws(audit)}


def _polling(audit: Audit, contest, alpha: float, sample: dict) -> dict:
    reported = reported_contest(contest, sample["universe"])
    marks = [_reading(ballot, contest.name) for _draw, ballot in sample["ballot_draws"]]
    risk, pairs = bravo_risk(reported, marks)
    out = {"risk": risk, "ballots": len(marks), "pairs": [{"winner": p.winner, "loser": p.loser, "risk": p.risk} for p in pairs]}
    if risk > alpha:
        out["next"] = bravo_sample_size(reported, alpha / max(risk, alpha), 0.9).size
    return out


def _comparison(audit: Audit, contest, alpha: float, sample: dict) -> dict:
    ballots = sample["universe"]
    reported = reported_contest(contest, ballots)
    margin = reported.min_diluted_margin()
    es = []
    for draw, ballot in sample["ballot_draws"]:
        cvr = None if draw.cvr_missing else frozenset((draw.cvr or {}).get(contest.name) or ())
        es.append(overstatement(reported, cvr, _reading(ballot, contest.name)))
    risk = km_p_value(margin, es)
    found = count_discrepancies(es)
    out = {
        "risk": risk,
        "ballots": len(es),
        "discrepancies": {"o1": found.o1, "o2": found.o2, "u1": found.u1, "u2": found.u2},
    }
    if risk > alpha:
        needed = nmin(alpha, margin, found.o1, found.o2, found.u1, found.u2)
        out["next"] = max(needed - len(es), 1) if needed < ballots else None
    return out


def _batch(audit: Audit, contest, alpha: float, sample: dict) -> dict:
    from .batches import macro_contest

    macro = macro_contest(audit)
    draws = [(name, counted.get(contest.name, {})) for name, counted in sample["batch_draws"]]
    risk = macro_p_value(macro, draws)
    out = {"risk": risk, "ballots": len(draws)}
    if risk > alpha:
        out["next"] = macro_sample_size(macro, alpha / max(risk, alpha)).size
    return out


MEASURES = {Audit.Kind.BALLOT_POLLING: _polling, Audit.Kind.BALLOT_COMPARISON: _comparison, Audit.Kind.BATCH_COMPARISON: _batch}


@transaction.atomic
def measure(actor: Actor, audit: Audit) -> Round:
    """The risk of each targeted contest after the latest round, over all draws so far."""
    require_runs(actor, audit, "measures it")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    current = Round.objects.select_for_update().filter(audit=audit).order_by("-number").first()
    if current is None:
        raise ValidationError("No round is drawn yet.")
    if current.measured_at is not None or audit.status != Audit.Status.LAUNCHED:
        raise ValidationError(f"Round {current.number} is already measured.")
    _check_done(audit, current)
    alpha = float(audit.risk_limit) / 100
    sample = _sample(audit)
    results = []
    contests = audit.contests.order_by("-targeted", "name")
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        contests = contests.filter(targeted=True)
    for contest in contests:
        try:
            found = MEASURES[audit.kind](audit, contest, alpha, sample)
        except ContestError:
            if contest.targeted:
                raise
            continue  # an opportunistic contest without a winner and loser has no risk to measure
        found.update(contest=contest.name, met=found["risk"] <= alpha, targeted=contest.targeted)
        if not contest.targeted:
            found.pop("next", None)
        results.append(found)
    current.results, current.measured_at = results, timezone.now()
    current.save(update_fields=["results", "measured_at"])
    if all(r["met"] for r in results if r["targeted"]):
        audit.status, audit.completed_at = Audit.Status.COMPLETE, timezone.now()
        audit.outcome = f"Every targeted contest met the risk limit of {audit.risk_limit} % after round {current.number}."
        audit.save(update_fields=["status", "completed_at", "outcome"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:round:measure",
        obj=audit,
        summary={"round": current.number, "results": [{k: r[k] for k in ("contest", "risk", "met", "targeted")} for r in results]},
    )
    return current


def recommendation(audit: Audit, current: Round | None) -> dict | None:
    """After a measured round with contests above the limit: the next round's recommended size and
    whether a full hand count is the better course (the size reaches what is left to draw)."""
    if current is None or current.measured_at is None or audit.status != Audit.Status.LAUNCHED:
        return None
    needs = [r.get("next") for r in current.results or [] if not r["met"] and r.get("targeted", True)]
    if not needs:
        return None
    sizes = [n for n in needs if n]
    if audit.kind == Audit.Kind.BATCH_COMPARISON:
        from .rounds import manifests

        left = sum(len(result["batches"]) for _p, result in manifests(audit))
        unit = "batches"
    else:
        left = universe(audit) - (current.previous + current.sample_size if audit.kind == Audit.Kind.BALLOT_COMPARISON else 0)
        unit = "ballots"
    if not sizes or len(sizes) < len(needs) or max(sizes) >= left:
        return {"size": None, "hand_count": True, "unit": unit}
    return {"size": max(sizes), "hand_count": False, "unit": unit}
