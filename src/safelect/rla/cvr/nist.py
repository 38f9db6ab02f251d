"""NIST SP 1500-103 cast vote records, JSON (``CVR.CastVoteRecordReport``).

The report's ``Election`` lists the ``Contest``s (``@id``, ``Name``, ``VotesAllowed``, and their
``ContestSelection``s: candidate selections point to ``Candidate``s by ``CandidateIds``, ballot
measure selections carry their ``Selection`` text) and the ``Candidate``s. Each ``CVR`` (one per
card; ``UniqueId`` or ``@id``) has snapshots; the one named by ``CurrentSnapshotId`` (or else the
first) is read. In it each ``CVRContest`` names its contest and each ``CVRContestSelection`` its
selection, whose ``SelectionPosition``s carry ``NumberVotes`` and ``IsAllocable``: a position
counts when it is allocable (``yes``, or not stated) — overvoted positions are written
``IsAllocable: no`` and count nothing, and ``unknown`` (awaiting adjudication) counts nothing either.
"""

from __future__ import annotations

import json

from .common import CvrError, CvrTally, check_no_formulas

MAX_JSON_BYTES = 2 * 1024**3


def _selection_name(selection: dict, candidates: dict[str, str]) -> str:
    if selection.get("CandidateIds"):
        return " / ".join(candidates.get(c, c) for c in selection["CandidateIds"])
    return str(selection.get("Selection") or selection.get("Name") or selection.get("@id") or "")


def parse(path, name: str = "CVR") -> CvrTally:
    try:
        with open(path, "rb") as handle:
            report = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CvrError(f"{name}: not JSON ({exc})") from None
    if not isinstance(report, dict) or report.get("@type") != "CVR.CastVoteRecordReport":
        raise CvrError(f'{name}: not a NIST SP 1500-103 CastVoteRecordReport ("@type": "CVR.CastVoteRecordReport")')
    elections = report.get("Election") or []
    if not elections:
        raise CvrError(f"{name}: the report has no Election (contests and candidates)")
    tally = CvrTally("nist")
    contests, selections = {}, {}
    for election in elections:
        candidates = {c.get("@id"): str(c.get("Name") or c.get("@id")) for c in election.get("Candidate") or []}
        for contest in election.get("Contest") or []:
            ident, contest_name = contest.get("@id"), str(contest.get("Name") or "").strip()
            if not ident or not contest_name:
                raise CvrError(f"{name}: a contest without @id or Name")
            check_no_formulas([contest_name], lambda _i, _id=ident: f"{name}, contest {_id}")
            allowed = contest.get("VotesAllowed", 1)
            if not isinstance(allowed, int) or allowed < 1:
                raise CvrError(f"{name}, contest {contest_name!r}: VotesAllowed {allowed!r} is not a whole number of at least 1")
            contests[ident] = tally.contest(contest_name, allowed)
            for selection in contest.get("ContestSelection") or []:
                choice = _selection_name(selection, candidates)
                if selection.get("@id") is None or not choice:
                    raise CvrError(f"{name}, contest {contest_name!r}: a selection without @id or name")
                selections[selection["@id"]] = (contests[ident], choice)
                contests[ident].choices.setdefault(choice, 0)
    seen = set()
    for number, cvr in enumerate(report.get("CVR") or [], start=1):
        where = f"{name}, CVR {number}"
        card = cvr.get("UniqueId") or cvr.get("@id")
        if not card:
            raise CvrError(f"{where}: no UniqueId or @id")
        if card in seen:
            raise CvrError(f"{where}: card {card} appears twice")
        seen.add(card)
        snapshots = cvr.get("CVRSnapshot") or []
        current = next((s for s in snapshots if s.get("@id") == cvr.get("CurrentSnapshotId")), snapshots[0] if snapshots else None)
        if current is None:
            raise CvrError(f"{where}: no CVRSnapshot")
        for cvr_contest in current.get("CVRContest") or []:
            contest = contests.get(cvr_contest.get("ContestId"))
            if contest is None:
                raise CvrError(f"{where}: contest {cvr_contest.get('ContestId')!r} is not in the report's Election")
            contest.ballots += 1
            for chosen in cvr_contest.get("CVRContestSelection") or []:
                found = selections.get(chosen.get("ContestSelectionId"))
                if found is None or found[0] is not contest:
                    raise CvrError(f"{where}: selection {chosen.get('ContestSelectionId')!r} is not a selection of {contest.name!r}")
                for position in chosen.get("SelectionPosition") or []:
                    votes = position.get("NumberVotes", 0)
                    if not isinstance(votes, int) or votes < 0:
                        raise CvrError(f"{where}: NumberVotes {votes!r} is not a whole number")
                    if str(position.get("IsAllocable", "yes")).lower() == "yes":
                        contest.choices[found[1]] += votes
        tally.cards += 1
    if not tally.cards:
        raise CvrError(f"{name}: the report has no CVR")
    return tally
