"""Audit boards and the measurement of a round (ballot polling).

* A jurisdiction's administrator (or the State) creates the round's boards; the jurisdiction's
  sampled ballots are divided among them batch by batch (a batch is retrieved by one board), and
  each board gets a **code** shown once: 12 characters from a 31-letter alphabet (about 59 bits),
  stored only as a password hash. Board members sign in with it — no personal accounts — and see
  only their own ballots.
* A board records each ballot's votes for every contest of the audit (or "blank", or an overvote),
  or that the ballot was not found, then signs off with its members' names; after sign-off nothing
  changes. A ballot drawn twice is one record counted twice.
* **Measurement** (ballot polling, BRAVO): once every board of the round has signed off, the risk of
  each targeted contest over all draws; an overvoted or blank contest counts for no one, a ballot not
  found counts as a vote for every loser (the field's convention). Contests at or below the risk
  limit are confirmed; for the others a next round, or a full hand count, follows (not yet
  available: the round says so).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.rla.bravo import bravo_risk

from .access import require_runs, visible_participants
from .models import Audit, BallotRecord, Board, Participant, Round
from .permissions import MANAGE, UPLOAD
from .rounds import reported_contest, universe

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ2345679"  # no 0/O, 1/I, 8/B confusion
CODE_LENGTH = 12
MAX_BOARDS = 20
MAX_FAILED_SIGN_INS = 10


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _normalise(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


@transaction.atomic
def create_boards(actor: Actor, participant: Participant, count: int) -> list[tuple[Board, str]]:
    """(board, code) for each new board of the latest round; the codes are not stored."""
    if not (actor.may(UPLOAD) or actor.may(MANAGE)):
        raise PermissionDenied("you may not create audit boards")
    participant = visible_participants(actor).select_for_update(of=("self",)).filter(pk=participant.pk).first()
    if participant is None:
        raise PermissionDenied("that jurisdiction is outside your scope")
    current = participant.audit.rounds.order_by("-number").first()
    if current is None:
        raise ValidationError("No round is drawn yet.")
    if current.boards.filter(participant=participant).exists():
        raise ValidationError("This round's boards are already set up.")
    if not 1 <= int(count) <= MAX_BOARDS:
        raise ValidationError({"count": f"Between 1 and {MAX_BOARDS} boards."})
    draws = list(current.draws.filter(participant=participant).order_by("container", "tabulator", "batch", "position"))
    if not draws:
        raise ValidationError("None of this jurisdiction's ballots was drawn in this round.")
    made = []
    for n in range(int(count)):
        code = _code()
        made.append(
            (Board.objects.create(round=current, participant=participant, name=f"Audit board {n + 1}", code_hash=make_password(code)), code)
        )
    batches = sorted({(d.container, d.tabulator, d.batch) for d in draws})
    assignment = {batch: made[n % len(made)][0] for n, batch in enumerate(batches)}
    ballots: dict[tuple, BallotRecord] = {}
    for draw in draws:
        key = (draw.tabulator, draw.batch, draw.position)
        if key in ballots:
            ballots[key].times_drawn += 1
            continue
        ballots[key] = BallotRecord(
            round=current,
            participant=participant,
            board=assignment[(draw.container, draw.tabulator, draw.batch)],
            container=draw.container,
            tabulator=draw.tabulator,
            batch=draw.batch,
            position=draw.position,
        )
    BallotRecord.objects.bulk_create(ballots.values())
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:board:create",
        obj=participant.audit,
        summary={"jurisdiction": participant.organization.name, "boards": len(made), "ballots": len(ballots)},
    )
    return made


def sign_in(board_id: int, code: str) -> Board | None:
    """The board whose code this is (None otherwise: the same answer for a wrong id, a wrong code or
    a locked board). After :data:`MAX_FAILED_SIGN_INS` wrong codes the board is locked until its
    jurisdiction issues a new code, so guessing is bounded, not only slow."""
    with transaction.atomic():
        board = Board.objects.select_for_update().filter(pk=board_id).first()
        if board is None or board.locked_at is not None:
            make_password(code)  # the same work either way
            return None
        if check_password(_normalise(code), board.code_hash):
            if board.failed_sign_ins:
                board.failed_sign_ins = 0
                board.save(update_fields=["failed_sign_ins"])
            return board
        board.failed_sign_ins += 1
        if board.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            board.locked_at = timezone.now()
        board.save(update_fields=["failed_sign_ins", "locked_at"])
        return None


@transaction.atomic
def new_code(actor: Actor, board: Board) -> str:
    """A new code for a board (lost, or locked after wrong codes); the old one stops working."""
    if not (actor.may(UPLOAD) or actor.may(MANAGE)):
        raise PermissionDenied("you may not issue audit board codes")
    if not visible_participants(actor).filter(pk=board.participant_id).exists():
        raise PermissionDenied("that board is outside your scope")
    board = Board.objects.select_for_update().get(pk=board.pk)
    if board.signed_off_at is not None:
        raise ValidationError("This board has signed off; it needs no code.")
    code = _code()
    board.code_hash, board.failed_sign_ins, board.locked_at = make_password(code), 0, None
    board.save(update_fields=["code_hash", "failed_sign_ins", "locked_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:board:new_code",
        obj=board.round.audit,
        summary={"board": board.name, "jurisdiction": board.participant.organization.name},
    )
    return code


def _open(board: Board) -> Board:
    board = Board.objects.select_for_update().get(pk=board.pk)
    if board.signed_off_at is not None:
        raise ValidationError("This board has signed off; its records are final.")
    return board


@transaction.atomic
def record_ballot(board: Board, ballot_id: int, *, not_found: bool = False, marks: dict | None = None) -> BallotRecord:
    """Record one ballot: ``marks`` maps each audited contest to its choices, ``"blank"`` or
    ``"overvote"``; every contest of the audit must be answered unless the ballot was not found."""
    board = _open(board)
    ballot = BallotRecord.objects.select_for_update().filter(pk=ballot_id, board=board).first()
    if ballot is None:
        raise PermissionDenied("that ballot is not on this board's list")
    votes = None
    if not not_found:
        votes, errors = {}, {}
        for contest in board.round.audit.contests.all():
            given = (marks or {}).get(contest.name)
            if given in ("blank", "overvote"):
                votes[contest.name] = {"choices": [], "blank": given == "blank", "overvote": given == "overvote"}
                continue
            chosen = [c for c in (given or []) if c]
            unknown = [c for c in chosen if c not in contest.choices]
            if unknown:
                errors[contest.name] = f"Not a choice of {contest.name}: {', '.join(unknown)}."
            elif not chosen:
                errors[contest.name] = f"Record {contest.name}: the choices marked, blank, or an overvote."
            elif len(chosen) > contest.votes_allowed:
                errors[contest.name] = f"{contest.name} allows {contest.votes_allowed} vote(s); more marks are an overvote."
            votes[contest.name] = {"choices": sorted(chosen), "blank": False, "overvote": False}
        if errors:
            raise ValidationError(errors)
    ballot.not_found, ballot.votes, ballot.recorded_at = bool(not_found), votes, timezone.now()
    ballot.save(update_fields=["not_found", "votes", "recorded_at"])
    return ballot


@transaction.atomic
def sign_off(board: Board, members: str) -> Board:
    board = _open(board)
    members = (members or "").strip()
    if len(members) < 3:
        raise ValidationError({"members": "Type the names of the board's members."})
    waiting = board.ballots.filter(recorded_at__isnull=True).count()
    if waiting:
        raise ValidationError(f"{waiting} ballot(s) are not recorded yet.")
    board.members, board.signed_off_at = members[:300], timezone.now()
    board.save(update_fields=["members", "signed_off_at"])
    record(
        action="audits:board:sign_off",
        organization=board.participant.organization,
        obj=board.round.audit,
        summary={"board": board.name, "members": board.members},
    )
    return board


def progress(current: Round) -> dict:
    boards = list(current.boards.select_related("participant__organization"))
    return {
        "boards": [
            {"board": b, "recorded": b.ballots.filter(recorded_at__isnull=False).count(), "total": b.ballots.count()} for b in boards
        ],
        "all_signed_off": bool(boards) and all(b.signed_off_at for b in boards),
        "jurisdictions_without_boards": sorted(
            {d.participant.organization.name for d in current.draws.select_related("participant__organization")}
            - {b.participant.organization.name for b in boards}
        ),
    }


@transaction.atomic
def measure(actor: Actor, audit: Audit) -> Round:
    """The risk of each targeted contest after the latest round (ballot polling: BRAVO)."""
    require_runs(actor, audit, "measures it")
    current = Round.objects.select_for_update().filter(audit=audit).order_by("-number").first()
    if current is None:
        raise ValidationError("No round is drawn yet.")
    if audit.kind != Audit.Kind.BALLOT_POLLING:
        raise ValidationError("Measuring a comparison audit needs each sampled ballot's cast vote record (not available yet).")
    state = progress(current)
    if state["jurisdictions_without_boards"] or not state["all_signed_off"]:
        raise ValidationError("Every jurisdiction's boards must record their ballots and sign off first.")
    ballots = universe(audit)
    results = []
    records = list(BallotRecord.objects.filter(round=current))
    for contest in audit.contests.filter(targeted=True):
        reported = reported_contest(contest, ballots)
        marks = []
        for ballot in records:
            if ballot.not_found:
                mark = None  # counts for every loser
            else:
                read = (ballot.votes or {}).get(contest.name) or {"choices": []}
                mark = frozenset() if read.get("overvote") or read.get("blank") else frozenset(read["choices"])
            marks.extend([mark] * ballot.times_drawn)
        risk, pairs = bravo_risk(reported, marks)
        results.append(
            {
                "contest": contest.name,
                "risk": risk,
                "met": risk <= float(audit.risk_limit) / 100,
                "ballots": len(marks),
                "pairs": [{"winner": p.winner, "loser": p.loser, "risk": p.risk} for p in pairs],
            }
        )
    current.results, current.measured_at = results, timezone.now()
    current.save(update_fields=["results", "measured_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="audits:round:measure",
        obj=audit,
        summary={"round": current.number, "results": [{k: r[k] for k in ("contest", "risk", "met")} for r in results]},
    )
    return current
