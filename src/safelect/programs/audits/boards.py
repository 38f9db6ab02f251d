"""Audit boards: the people who retrieve and read the sampled ballots.

* A jurisdiction's administrator (or the State) creates the round's boards; the jurisdiction's
  sampled ballots are divided among them batch by batch (a batch is retrieved by one board), and
  each board gets a **code** shown once: 12 characters from a 31-letter alphabet (about 59 bits),
  stored only as a password hash. Board members sign in with it — no personal accounts — and see
  only their own ballots.
* A board records each ballot's votes for every contest of the audit (or "blank", or an overvote),
  or that the ballot was not found, then signs off with its members' names; after sign-off nothing
  changes. A ballot drawn twice is one record counted twice.
* In a later round only ballots not read in an earlier round go to the boards; a repeat draw of a
  ballot read before counts with that reading (``measure``).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from .access import visible_participants
from .models import Audit, BallotRecord, Board, Participant, Round
from .permissions import MANAGE, UPLOAD

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
    if participant.audit.kind == Audit.Kind.BATCH_COMPARISON:
        raise ValidationError("A batch comparison audit counts batches: enter their hand tallies instead.")
    earlier = read_before(current)
    draws = [
        d
        for d in current.draws.filter(participant=participant).order_by("container", "tabulator", "batch", "position")
        if (d.participant_id, d.tabulator, d.batch, d.position) not in earlier
    ]
    if not draws:
        raise ValidationError(
            "None of this jurisdiction's ballots needs reading in this round (new draws only repeat ballots already read)."
        )
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


def read_before(current: Round) -> set[tuple]:
    """(participant, tabulator, batch, position) of every ballot read in a round before ``current``."""
    return set(
        BallotRecord.objects.filter(round__audit_id=current.audit_id, round__number__lt=current.number).values_list(
            "participant_id", "tabulator", "batch", "position"
        )
    )


def progress(current: Round) -> dict:
    """The round's boards with their recorded ballots, and the jurisdictions that have ballots to read
    in this round (ballots not read in an earlier round) but no boards yet."""
    boards = list(current.boards.select_related("participant__organization"))
    earlier = read_before(current)
    needing = {
        d.participant.organization.name
        for d in current.draws.select_related("participant__organization")
        if (d.participant_id, d.tabulator, d.batch, d.position) not in earlier
    }
    return {
        "boards": [
            {"board": b, "recorded": b.ballots.filter(recorded_at__isnull=False).count(), "total": b.ballots.count()} for b in boards
        ],
        "all_signed_off": all(b.signed_off_at for b in boards),
        "jurisdictions_without_boards": sorted(needing - {b.participant.organization.name for b in boards}),
    }
