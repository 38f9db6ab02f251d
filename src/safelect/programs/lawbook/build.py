"""``safelect lawbook build``: parse both bills from the texts shipped in ``safelect/data/statutes``
(copies of ``../shared/spec``, see ``data/PROVENANCE.md``) into ``safelect/data/lawbook.json`` — the
provisions in the bills' order with their citations, headings, texts and defined terms. Pure Python,
no database: the data file is what this command writes, and a test checks that it still is."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib import resources
from pathlib import Path

from .parse import parse_house, parse_senate

SOURCES = {"S.2261": "s2261.txt", "H.R. 5011": "hr5011.txt"}


def statutes_dir() -> Path:
    return Path(str(resources.files("safelect.data").joinpath("statutes")))


def output_path() -> Path:
    return Path(str(resources.files("safelect.data").joinpath("lawbook.json")))


def build(folder: Path | None = None) -> dict:
    folder = folder or statutes_dir()
    bills = []
    for bill, name in SOURCES.items():
        raw = (folder / name).read_text(encoding="utf-8")
        provisions = parse_senate(raw) if bill == "S.2261" else parse_house(raw)
        bills.append(
            {
                "bill": bill,
                "source": f"statutes/{name}",
                "sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
                "provisions": [p.as_dict() for p in provisions],
            }
        )
    return {"format": 1, "bills": bills}


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="safelect lawbook build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(output_path()), help="where to write the lawbook (default: the package's data)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file differs from a fresh build")
    args = parser.parse_args(argv)
    text = dumps(build())
    target = Path(args.out)
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print("the lawbook is up to date" if same else f"{target} differs from a fresh build: run `safelect lawbook build`")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{b['bill']}: {len(b['provisions'])} provisions" for b in json.loads(text)["bills"])
    print(f"wrote {target} ({counts})", file=sys.stdout)
    return 0
