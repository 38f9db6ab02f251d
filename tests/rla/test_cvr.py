"""Cast vote records in the five formats States export, tallied by ``safelect.rla.cvr`` and
``safelect rla cvr-tally``.

The fixtures in ``tests/rla/cvr/`` hold the same six cards of one small election, written by hand
from each vendor's published layout (Dominion's four-row CVR export, ES&S's one column per vote
allowed, Clear Ballot's ``Choice_…:contest:Vote For N:choice:party`` columns, Hart's zip of one
XML per card, NIST SP 1500-103 JSON with snapshots). Every format must give the same tally, equal
to the totals counted by hand below; random elections (Hypothesis) written in each CSV format must
tally to a direct count; malformed files are refused with the row and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelect.rla.cvr import CvrError, detect, tally

HERE = Path(__file__).parent / "cvr"
SAFELECT = str(Path(sys.executable).with_name("safelect"))
# Counted by hand from the six cards (see the fixtures): card 3 has no measure, card 4 leaves the
# governor blank (an undervote), card 6 carries only the measure.
EXPECTED = {
    "Governor": {"votes_allowed": 1, "choices": {"Alice Adams": 3, "Bob Brown": 1}, "ballots": 5},
    "County Board": {"votes_allowed": 2, "choices": {"Cara Cole": 3, "Dan Diaz": 2, "Eve Ellis": 3}, "ballots": 5},
    "Measure 1": {"votes_allowed": 1, "choices": {"No": 2, "Yes": 3}, "ballots": 5},
}
FILES = {"dominion": "dominion.csv", "ess": "ess.csv", "clearballot": "clearballot.csv", "hart": "hart.zip", "nist": "nist.json"}


def _as_dict(result) -> dict:
    return {
        c.name: {"votes_allowed": c.votes_allowed, "choices": dict(sorted(c.choices.items())), "ballots": c.ballots}
        for c in result.contests.values()
    }


@pytest.mark.parametrize("fmt", list(FILES))
def test_every_format_tallies_the_hand_count(fmt):
    path = HERE / FILES[fmt]
    assert detect(path) == fmt
    result = tally(path)
    assert result.format == fmt and result.cards == 6
    assert _as_dict(result) == EXPECTED


def test_the_command_prints_json_without_a_database():
    done = subprocess.run([SAFELECT, "rla", "cvr-tally", "--cvr", str(HERE / "dominion.csv"), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    contests = {c["name"]: c for c in data["contests"]}
    assert data["cards"] == 6 and data["format"] == "dominion"
    assert all(contests[name] == {"name": name, **expected} for name, expected in EXPECTED.items())
    text = subprocess.run(
        [SAFELECT, "rla", "cvr-tally", "--cvr", str(HERE / "hart.zip"), "--format", "hart"], capture_output=True, text=True
    )
    assert "6 cards (hart)" in text.stdout and "Alice Adams" in text.stdout
    wrong = subprocess.run(
        [SAFELECT, "rla", "cvr-tally", "--cvr", str(HERE / "ess.csv"), "--format", "pdf"], capture_output=True, text=True
    )
    assert wrong.returncode == 2 and "unknown CVR format 'pdf'" in wrong.stderr and "Traceback" not in wrong.stderr


# --- malformed files: the row and the reason ----------------------------------------------------


def _edited(tmp_path: Path, fixture: str, edit) -> Path:
    lines = (HERE / fixture).read_text().splitlines()
    path = tmp_path / fixture
    path.write_text("\n".join(edit(lines)) + "\n")
    return path


@pytest.mark.parametrize(
    ("fixture", "edit", "message"),
    [
        (
            "dominion.csv",
            lambda ls: [*ls, ls[5].replace('"2","1","1","2"', '"7","1","1","2"')],
            r"dominion.csv row 11: card 1-1-2 \(tabulator-batch-record\) appears twice",
        ),
        (
            "dominion.csv",
            lambda ls: [*ls[:6], ls[6].replace('"1","0","1","0","0"', '"2","0","1","0","0"'), *ls[7:]],
            r"row 7, column 9: '2' is not a vote",
        ),
        (
            "dominion.csv",
            lambda ls: [*ls[:5], ls[5].replace('"Election Day"', '"=HYPERLINK(""http://x"")"'), *ls[6:]],
            r"dominion.csv row 6, column 6: the cell '=HYPERLINK\(\"http://x\"\)' starts like a spreadsheet formula",
        ),
        ("dominion.csv", lambda ls: [*ls[:5], ls[5] + ',"1"', *ls[6:]], r"row 6: 16 cells, but the header has 15"),
        (
            "dominion.csv",
            lambda ls: [ls[0], ls[1].replace(" (Vote For=1)", ""), *ls[2:]],
            r"row 2, column 9: 'Governor' does not end with its vote limit",
        ),
        (
            "dominion.csv",
            lambda ls: [ls[0], ls[1], ls[2], ls[3].replace('"RecordId"', '"Record"'), *ls[4:]],
            r"row 4: missing column\(s\) RecordId",
        ),
        ("ess.csv", lambda ls: [*ls, "3,P1,BS1,Alice Adams,Cara Cole,undervote,Yes"], r"ess.csv row 8: cast vote record 3 appears twice"),
        (
            "ess.csv",
            lambda ls: [*ls[:2], ls[2].replace("Bob Brown", "@SUM(A1)"), *ls[3:]],
            r"ess.csv row 3, column 4: the cell '@SUM\(A1\)' starts like a spreadsheet formula",
        ),
        ("clearballot.csv", lambda ls: [ls[0].replace("Vote For 2", "Vote For two"), *ls[1:]], r"row 1, column 13: .* is not Choice_"),
        ("clearballot.csv", lambda ls: [*ls, ls[1]], r"row 8: ballot 1-1-1 appears twice"),
    ],
)
def test_malformed_csv_is_refused_with_the_row_and_reason(tmp_path, monkeypatch, fixture, edit, message):
    with pytest.raises(CvrError, match=message):
        tally(_edited(tmp_path, fixture, edit))
    monkeypatch.setattr("safelect.rla.cvr.common.CHUNK", 2)  # the same, with the rows read two at a time
    with pytest.raises(CvrError, match=message):
        tally(_edited(tmp_path, fixture, edit))


def _zip(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "hart.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_malformed_hart_zips_are_refused(tmp_path):
    good = zipfile.ZipFile(HERE / "hart.zip").read("cvr/000001.xml").decode()
    with pytest.raises(CvrError, match=r"cvr/2.xml: card .* appears twice \(also in cvr/1.xml\)"):
        tally(_zip(tmp_path, {"cvr/1.xml": good, "cvr/2.xml": good}), "hart")
    with pytest.raises(CvrError, match="not a well-formed, safe XML"):
        tally(_zip(tmp_path, {"cvr/1.xml": good[:-20]}), "hart")
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Cvr>&b;</Cvr>'
    with pytest.raises(CvrError, match="safe XML"):
        tally(_zip(tmp_path, {"cvr/1.xml": bomb}), "hart")
    with pytest.raises(CvrError, match="no XML cast vote record"):
        tally(_zip(tmp_path, {"notes.txt": "x"}), "hart")
    with pytest.raises(CvrError, match="bytes uncompressed"):
        tally(_zip(tmp_path, {"cvr/1.xml": "<Cvr>" + " " * 2_000_000 + "</Cvr>"}), "hart")


def test_malformed_nist_reports_are_refused_and_overvotes_count_nothing(tmp_path):
    report = json.loads((HERE / "nist.json").read_text())
    path = tmp_path / "nist.json"

    def attempt(changed: dict, message: str) -> None:
        path.write_text(json.dumps(changed))
        with pytest.raises(CvrError, match=message):
            tally(path, "nist")

    attempt({**report, "@type": "CVR.Something"}, "not a NIST SP 1500-103")
    wrong = json.loads(json.dumps(report))
    wrong["CVR"][0]["CVRSnapshot"][1]["CVRContest"][0]["ContestId"] = "contest-mayor"
    attempt(wrong, r"CVR 1: contest 'contest-mayor' is not in the report's Election")
    twice = json.loads(json.dumps(report))
    twice["CVR"].append(twice["CVR"][0])
    attempt(twice, "CVR 7: card 1-1-1 appears twice")
    over = json.loads(json.dumps(report))
    for position in over["CVR"][0]["CVRSnapshot"][1]["CVRContest"][0]["CVRContestSelection"][0]["SelectionPosition"]:
        position["IsAllocable"] = "no"  # the governor overvoted on card 1
    path.write_text(json.dumps(over))
    result = tally(path, "nist")
    assert result.contests["Governor"].choices["Alice Adams"] == 2 and result.contests["Governor"].ballots == 5


def test_an_empty_or_unknown_file_is_named(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CvrError, match="empty.csv: the file is empty"):
        tally(empty)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(CvrError, match="not a CVR format"):
        tally(other)
    with pytest.raises(CvrError, match="cannot be read"):
        tally(tmp_path / "missing.csv")


# --- random elections, every CSV format, against a direct count ---------------------------------

CONTESTS = [("Mayor", 1, ["Ann", "Ben", "Cy"]), ("Council", 3, ["Dee", "Eli", "Fay", "Gus", "Hal"]), ("Question 2", 1, ["Yes", "No"])]


def _cards(rng: random.Random, n: int) -> list[dict]:
    cards = []
    for _ in range(n):
        card = {}
        for contest, allowed, choices in CONTESTS:
            if rng.random() < 0.15:
                continue  # not on this card
            card[contest] = set(rng.sample(choices, rng.randint(0, allowed)))
        cards.append(card)
    return cards


def _write(fmt: str, cards: list[dict], path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    if fmt == "dominion":
        votes = [(c, a, ch) for c, a, chs in CONTESTS for ch in chs]
        writer.writerow(["Random", "5.17"])
        writer.writerow([""] * 4 + [f"{c} (Vote For={a})" for c, a, _ in votes])
        writer.writerow([""] * 4 + [ch for _c, _a, ch in votes])
        writer.writerow(["CvrNumber", "TabulatorNum", "BatchId", "RecordId"] + [""] * len(votes))
        for n, card in enumerate(cards):
            writer.writerow([n + 1, 1 + n % 3, n // 50, n] + [("" if c not in card else int(ch in card[c])) for c, _a, ch in votes])
    elif fmt == "clearballot":
        votes = [(c, a, ch) for c, a, chs in CONTESTS for ch in chs]
        writer.writerow(["RowNumber", "BallotID"] + [f"Choice_{k}_1:{c[:1]}:{c}:Vote For {a}:{ch}:" for k, (c, a, ch) in enumerate(votes)])
        for n, card in enumerate(cards):
            writer.writerow([n + 1, f"B-{n}"] + [("" if c not in card else int(ch in card[c])) for c, _a, ch in votes])
    else:
        writer.writerow(["Cast Vote Record", "Precinct"] + [c for c, a, _ in CONTESTS for _ in range(a)])
        for n, card in enumerate(cards):
            row = [n + 1, "P"]
            for c, a, _ in CONTESTS:
                chosen = sorted(card[c]) if c in card else None
                row += [""] * a if chosen is None else chosen + ["undervote"] * (a - len(chosen))
            writer.writerow(row)
    path.write_text(out.getvalue())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 300), fmt=st.sampled_from(["dominion", "ess", "clearballot"]))
def test_random_elections_tally_to_a_direct_count(tmp_path_factory, seed, n, fmt):
    cards = _cards(random.Random(seed), n)
    path = tmp_path_factory.mktemp("cvr") / f"{fmt}.csv"
    _write(fmt, cards, path)
    result = tally(path, fmt)
    assert result.cards == n
    for contest, allowed, choices in CONTESTS:
        counted = {ch: sum(ch in card.get(contest, ()) for card in cards) for ch in choices}
        found = result.contests.get(contest)
        on_cards = sum(contest in card for card in cards)
        if fmt == "ess":  # ES&S names only the choices someone marked
            counted = {ch: v for ch, v in counted.items() if v}
            if not on_cards:
                continue
        assert found.choices == counted and found.ballots == on_cards and found.votes_allowed == allowed


def test_the_fixtures_are_where_the_docs_say(tmp_path):
    # the files stay small, readable examples of each layout
    assert all((HERE / f).stat().st_size < 20_000 for f in FILES.values())
    shutil.copy(HERE / "ess.csv", tmp_path / "renamed.txt")
    assert detect(tmp_path / "renamed.txt") == "ess"  # from the content, not the name


# --- card by card (what a ballot-comparison audit looks up) --------------------------------------


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_cards_add_up_to_the_tally(fmt):
    from collections import Counter

    from safelect.rla.cvr.cards import cards

    path = HERE / FILES[fmt]
    found, result = list(cards(path)), tally(path)
    votes, on_cards = Counter(), Counter()
    for card in found:
        for contest, chosen in card.marks.items():
            on_cards[contest] += 1
            votes.update((contest, choice) for choice in chosen)
    assert len(found) == result.cards
    for name, contest in result.contests.items():
        assert on_cards[name] == contest.ballots
        assert {choice: votes[(name, choice)] for choice in contest.choices} == contest.choices


def test_cards_know_their_place_where_the_format_says_it():
    from safelect.rla.cvr.cards import cards

    places = {fmt: [c.place for c in cards(HERE / name)] for fmt, name in FILES.items()}
    assert places["dominion"][:4] == [("1", "1", 1), ("1", "1", 2), ("1", "1", 3), ("1", "2", 1)]  # TabulatorNum, BatchId, RecordId
    assert places["clearballot"][3:5] == [("ICC-1", "1", 4), ("ICC-1", "2", 1)]  # ScanComputerName, BoxID, BoxPosition
    assert places["hart"][0] == ("", "101", 1)  # BatchNumber, BatchSequence; Hart names no tabulator
    assert places["ess"] == [None] * 6  # this export has no Tabulator and Batch columns
    assert places["nist"] == [None] * 6  # nor these CVRs BatchId and BatchSequenceId


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 120), fmt=st.sampled_from(["dominion", "ess", "clearballot"]))
def test_random_elections_read_card_by_card(tmp_path_factory, seed, n, fmt):
    from safelect.rla.cvr.cards import cards

    generated = _cards(random.Random(seed), n)
    path = tmp_path_factory.mktemp("cards") / f"{fmt}.csv"
    _write(fmt, generated, path)
    read = [card.marks for card in cards(path, fmt)]
    assert read == [{contest: frozenset(chosen) for contest, chosen in card.items()} for card in generated]


@pytest.mark.parametrize("fmt", ["dominion", "clearballot", "hart"])
def test_a_lookup_reads_only_the_wanted_cards_and_places_read_no_votes(fmt):
    from safelect.rla.cvr.cards import cards, places

    every = list(cards(HERE / FILES[fmt]))
    wanted = {every[1].place, every[4].place}
    assert list(cards(HERE / FILES[fmt], wanted=wanted)) == [every[1], every[4]]
    assert list(places(HERE / FILES[fmt])) == [card.place for card in every]
    if fmt == "hart":  # a place without a tabulator is found from a wanted place that has one
        tabulated = {("T-7", every[2].place[1], every[2].place[2])}
        assert [c.marks for c in cards(HERE / FILES[fmt], wanted=tabulated)] == [every[2].marks]
