"""The `safelect rla` command: draw equals consistent-sampler, formats, errors exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import consistent_sampler as cs
import pytest

from safelect.rla.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def write(p: Path, text: str) -> str:
    p.write_text(text, encoding="utf-8")
    return str(p)


MANIFEST = """Jurisdiction,Container,Tabulator,Batch Name,Number of Ballots
County A,Box 1,TAB-1,Batch 1,40
County A,Box 1,,Batch 2,"1,200"
County B,Box 9,TAB-1,Batch 1,35
"""


def peer_ids(rows: list[tuple[str, str | None, str, int]]) -> list[tuple[tuple[str, str | None, str], int]]:
    return [((j, t, b), p) for j, t, b, n in rows for p in range(1, n + 1)]


ROWS = [("County A", "TAB-1", "Batch 1", 40), ("County A", None, "Batch 2", 1200), ("County B", "TAB-1", "Batch 1", 35)]


@pytest.mark.parametrize("wr", [False, True])
@pytest.mark.parametrize("prev", [0, 17])
def test_draw_json_equals_peer(tmp_path: Path, capsys: pytest.CaptureFixture[str], wr: bool, prev: int) -> None:
    m = write(tmp_path / "m.csv", MANIFEST)
    seed = "31415926535897932384"
    args = ["draw", "--seed", seed, "--manifest", m, "--sample-size", "50", "--previous", str(prev), "--json"]
    assert main(args + (["--with-replacement"] if wr else [])) == 0
    out = json.loads(capsys.readouterr().out)
    want = list(cs.sampler(peer_ids(ROWS), seed=seed, with_replacement=wr, drop=prev, take=50, digits=18))
    got = [(d["ticket"], ((d["jurisdiction"], d["tabulator"], d["batch"]), d["position"]), d["generation"]) for d in out["draws"]]
    assert got == want
    assert out["ballots"] == 1275 and out["id_format"] == "arlo"


def test_draw_batch_ids_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = write(tmp_path / "m.csv", "Batch Name,Number of Ballots\npct 1,25\npct 2,25\npct 3,25\npct 4,25\n")
    seed = "12345678901234567890abcdefghijklmnopqrstuvwxyz😊"
    assert main(["draw", "--seed", seed, "--manifest", m, "--sample-size", "3", "--with-replacement"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Ticket Number,Jurisdiction,Tabulator,Batch Name,Ballot Position,Generation"
    assert lines[1:] == ["0.000617786129909912,,,pct 2,3,1", "0.002991631653037245,,,pct 3,24,1", "0.012057030610635061,,,pct 1,25,1"]


@pytest.mark.parametrize(
    ("argv", "msg"),
    [
        (["draw", "--seed", "1", "--manifest", "MISSING", "--sample-size", "3"], "cannot read manifest"),
        (["draw", "--seed", "1", "--manifest", "BADCOL", "--sample-size", "3"], "missing column 'Number of Ballots'"),
        (["draw", "--seed", "1", "--manifest", "BADNUM", "--sample-size", "3"], "not a whole number"),
        (["sample-size", "--method", "nope", "--contest", "C", "--risk-limit", "5"], "unknown method"),
        (["sample-size", "--method", "bravo", "--contest", "BADJSON", "--risk-limit", "5"], "not valid JSON"),
        (["risk", "--method", "bravo", "--contest", "C", "--sample", "BADSAMPLE"], "missing column"),
        (["draw", "--seed", "1", "--manifest", "M", "--sample-size", "-3"], "must be >= 0"),
    ],
)
def test_errors_exit_2_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], msg: str) -> None:
    files = {
        "MISSING": str(tmp_path / "nope.csv"),
        "BADCOL": write(tmp_path / "bc.csv", "Batch Name,Ballots\na,1\n"),
        "BADNUM": write(tmp_path / "bn.csv", "Batch Name,Number of Ballots\na,x\n"),
        "BADJSON": write(tmp_path / "bj.json", "{not json"),
        "C": write(tmp_path / "c.json", json.dumps({"choices": {"A": 60, "B": 40}, "ballots_cast": 100})),
        "BADSAMPLE": write(tmp_path / "s.csv", "A,Z\n1,0\n"),
        "M": write(tmp_path / "m.csv", "Batch Name,Number of Ballots\na,1\n"),
    }
    assert main([files.get(a, a) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len([e for e in err if not e.startswith("warning:")]) == 1
    assert msg in err[-1] and "Traceback" not in err[-1]


def contest_file(tmp_path: Path, **extra: object) -> str:
    data = {"name": "Mayor", "choices": {"Alice": 6000, "Bob": 4000}, "ballots_cast": 10000, **extra}
    return write(tmp_path / "c.json", json.dumps(data))


@pytest.mark.parametrize("method", ["bravo", "supersimple", "alpha", "macro"])
def test_sample_size_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], method: str) -> None:
    batches = [{"name": f"b{i}", "ballots": 100, "votes": {"Alice": 60, "Bob": 40}} for i in range(100)]
    c = contest_file(tmp_path, batches=batches)
    assert main(["sample-size", "--method", method, "--contest", c, "--risk-limit", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == method and (out["sample_size"] or 0) > 0
    if method == "supersimple":
        assert out["sample_size"] == 24  # diluted margin 20%, alpha 10%


def test_sample_size_full_hand_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = write(tmp_path / "c.json", json.dumps({"choices": {"A": 51, "B": 49}, "ballots_cast": 100}))
    assert main(["sample-size", "--method", "supersimple", "--contest", c, "--risk-limit", "5"]) == 0
    assert capsys.readouterr().out.strip() == "sample size: full hand count"


def test_risk_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = contest_file(tmp_path)
    polling = write(tmp_path / "p.csv", "Alice,Bob,Not Found\n" + "1,0,\n" * 30 + "0,1,\n" * 5 + ",,yes\n")
    assert main(["risk", "--method", "bravo", "--contest", c, "--sample", polling, "--risk-limit", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 <= out["risk"] <= 1 and out["detail"][0]["loser_ballots"] == 6
    comp = write(tmp_path / "k.csv", "CVR: Alice,CVR: Bob,Audit: Alice,Audit: Bob\n" + "1,0,1,0\n" * 30 + "1,0,0,1\n")
    for method in ("supersimple", "alpha"):
        assert main(["risk", "--method", method, "--contest", c, "--sample", comp, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["discrepancies"]["o2"] == 1 and 0 <= out["risk"] <= 1
    disc = write(tmp_path / "d.csv", "Discrepancy\n" + "0\n" * 30 + "o1\n")
    assert main(["risk", "--method", "supersimple", "--contest", c, "--sample", disc]) == 0
    assert capsys.readouterr().out.startswith("risk: ")


def test_python_dash_m_whole_command(tmp_path: Path) -> None:
    m = write(tmp_path / "m.csv", MANIFEST)
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run(
        [sys.executable, "-m", "safelect.rla", "draw", "--seed", "27182818284590452353", "--manifest", m, "--sample-size", "5", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert len(json.loads(p.stdout)["draws"]) == 5
    assert "django" not in p.stderr.lower()
    h = subprocess.run([sys.executable, "-m", "safelect.rla", "risk", "--help"], capture_output=True, text=True, env=env)
    assert h.returncode == 0 and "--json" in h.stdout
    bad = subprocess.run([sys.executable, "-m", "safelect.rla", "draw", "--seed", "1"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_no_django_imported() -> None:
    code = (
        "import sys, safelect.rla.cli, safelect.rla.sampling, safelect.rla.alpha, safelect.rla.macro; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "False"
