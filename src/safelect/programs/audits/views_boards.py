"""Audit-board pages: a board signs in with its code (no personal account) and sees only its own
ballots, records each, and signs off; the jurisdiction creates the boards and hands out the codes;
the State measures the round. Board pages are declared PUBLIC (no account) and check the board's
session themselves: a board reaches its own list and nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import PUBLIC, requires

from . import boards
from . import measure as measurement
from .access import visible_audits, visible_participants
from .models import BallotRecord, Board
from .permissions import MANAGE, UPLOAD, VIEW

SESSION_KEY = "audit_board"


@requires(VIEW)
def create(request, pk: int, participant: int):
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    found = actor.get_or_404(visible_participants(actor).filter(audit=audit), pk=participant)
    if request.method != "POST" or not (actor.may(UPLOAD) or actor.may(MANAGE)):
        raise PermissionDenied("you may not create audit boards")
    try:
        made = boards.create_boards(actor, found, int(request.POST.get("count") or 0))
    except (ValidationError, ValueError) as error:
        for text in getattr(error, "messages", [str(error)]):
            messages.error(request, text)
        return redirect("audits:participant", pk=audit.pk, participant=found.pk)
    sign_in = request.build_absolute_uri("/audits/boards/")
    return render(request, "audits/board_codes.html", {"audit": audit, "participant": found, "made": made, "sign_in": sign_in})


@requires(VIEW)
def reissue(request, pk: int, participant: int, board_id: int):
    """A new code for one board, shown once."""
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    found = actor.get_or_404(visible_participants(actor).filter(audit=audit), pk=participant)
    board = Board.objects.filter(pk=board_id, participant=found).first()
    if board is None:
        raise Http404("No such board")
    if request.method != "POST":
        raise Http404("Issue a new code with the button on the jurisdiction page")
    try:
        code = boards.new_code(actor, board)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("audits:participant", pk=audit.pk, participant=found.pk)
    sign_in = request.build_absolute_uri("/audits/boards/")
    return render(request, "audits/board_codes.html", {"audit": audit, "participant": found, "made": [(board, code)], "sign_in": sign_in})


def _board(request, board_id: int) -> Board:
    board = Board.objects.filter(pk=board_id).select_related("round__audit", "participant__organization").first()
    if board is None or request.session.get(SESSION_KEY) != _session_value(board):
        raise Http404("Sign in with the board's code")
    return board


def _session_value(board: Board) -> str:
    """The board and the code it signed in with: a new code ends the sessions of the old one."""
    return f"{board.pk}:{board.code_hash[-16:]}"


@requires(PUBLIC)
def sign_in(request, board_id: int | None = None):
    error = ""
    if request.method == "POST":
        try:
            wanted = int(request.POST.get("board") or 0)
        except ValueError:
            wanted = 0
        board = boards.sign_in(wanted, request.POST.get("code", ""))
        if board is not None:
            request.session.cycle_key()  # a new session id for the signed-in board
            request.session[SESSION_KEY] = _session_value(board)
            return redirect("audits:board", board_id=board.pk)
        error = "That board number and code do not match."
    return render(
        request,
        "audits/board_sign_in.html",
        {"error": error, "board_id": board_id or request.POST.get("board", "")},
        status=200 if not error else 400,
    )


@requires(PUBLIC)
def board_home(request, board_id: int):
    board = _board(request, board_id)
    if request.method == "POST":
        try:
            boards.sign_off(board, request.POST.get("members", ""))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, "Signed off. Thank you: the records of this board are final.")
        return redirect("audits:board", board_id=board.pk)
    ballots = board.ballots.all()
    done = sum(1 for b in ballots if b.recorded_at)
    return render(request, "audits/board.html", {"board": board, "ballots": ballots, "done": done})


def _marks(request, contests) -> dict:
    out = {}
    for contest in contests:
        special = request.POST.get(f"special:{contest.name}")
        out[contest.name] = special if special in ("blank", "overvote") else request.POST.getlist(f"choice:{contest.name}")
    return out


@requires(PUBLIC)
def board_ballot(request, board_id: int, ballot_id: int):
    board = _board(request, board_id)
    ballot = BallotRecord.objects.filter(pk=ballot_id, board=board).first()
    if ballot is None:
        raise Http404("Not a ballot of this board")
    contests = list(board.round.audit.contests.all())
    errors = {}
    if request.method == "POST":
        try:
            boards.record_ballot(board, ballot.pk, not_found=request.POST.get("action") == "not_found", marks=_marks(request, contests))
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        else:
            following = board.ballots.filter(recorded_at__isnull=True).exclude(pk=ballot.pk).first()
            return (
                redirect("audits:board-ballot", board_id=board.pk, ballot_id=following.pk)
                if following
                else redirect("audits:board", board_id=board.pk)
            )
    recorded = ballot.votes or {}
    rows = [{"contest": c, "read": recorded.get(c.name, {}), "error": " ".join(errors.get(c.name, []))} for c in contests]
    return render(request, "audits/board_ballot.html", {"board": board, "ballot": ballot, "rows": rows, "errors": errors})


@requires(VIEW)
def measure(request, pk: int):
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    if request.method != "POST":
        raise Http404("Measure with the button on the audit page")
    try:
        done = measurement.measure(actor, audit)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        targeted = [r for r in done.results if r.get("targeted", True)]
        met = [r for r in targeted if r["met"]]
        text = f"Round {done.number} measured: {len(met)} of {len(targeted)} targeted contests meet the risk limit."
        messages.success(request, text + (" The audit is complete." if len(met) == len(targeted) else ""))
    return redirect("audits:audit", pk=audit.pk)
