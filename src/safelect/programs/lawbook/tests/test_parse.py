"""The bills as structured law: the shipped lawbook is what `safelect lawbook build` makes; every
word of each bill is in exactly one provision, in the bill's order (the provisions put back together
give the bill's text word for word); no page furniture survives; every citation safelect writes
resolves to a provision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from safelect.core.obligations import registry
from safelect.programs.lawbook import parse
from safelect.programs.lawbook.build import build, dumps, output_path, statutes_dir
from safelect.programs.lawbook.citations import Index, find_all

REPO = Path(__file__).resolve().parents[5]
SHARED_SPEC = REPO.parent / "shared" / "spec"
SENATE = (statutes_dir() / "s2261.txt").read_text(encoding="utf-8")
HOUSE = (statutes_dir() / "hr5011.txt").read_text(encoding="utf-8")
FURNITURE = re.compile(r"VerDate|G:\\|SAFELECT|\.xml|Jkt 000|Frm 000|Sfmt|Fmt 6652|684096|<all>|Llama|Ask anything|\[Congressional Bills")


def _words(text: str) -> list[str]:
    text = re.sub(r"(--|—)\s*", r"\1 ", text)
    return re.sub(r"[‘’`']", "", text).lower().split()


def _rebuilt(provisions, dash: str) -> str:
    out = []
    for p in provisions:
        if not p.path:
            out.append(f"SEC. {p.section}. {p.section_title}. {p.text}")
        else:
            out.append(f"({p.path[-1]}) " + (f"{p.heading}{dash}{p.text}" if p.heading else p.text))
    return " ".join(out)


def test_the_shipped_texts_are_the_specification_and_the_lawbook_is_a_fresh_build():
    if SHARED_SPEC.exists():
        assert (SHARED_SPEC / "004_2762dbc32f206ffa.txt").read_text(encoding="utf-8") == SENATE
        assert (SHARED_SPEC / "003_9f51233b6cff87df.txt").read_text(encoding="utf-8") == HOUSE
    assert output_path().read_text(encoding="utf-8") == dumps(build()), "run `safelect lawbook build`"


def test_every_word_of_the_senate_bill_is_in_exactly_one_provision_in_order():
    provisions = parse.parse_senate(SENATE)
    source = " ".join(parse.senate_lines(SENATE)).replace("SECTION 1.", "SEC. 1.")
    assert _words(_rebuilt(provisions, ".--")) == _words(source)
    citations = [p.citation for p in provisions]
    assert len(citations) == len(set(citations)) == 280
    assert citations[:3] == ["S.2261 §1", "S.2261 §2", "S.2261 §2(1)"] and citations[-1] == "S.2261 §8(f)(2)"


def test_every_word_of_the_house_bill_is_in_exactly_one_provision_in_order():
    provisions = parse.parse_house(HOUSE)
    text = parse.house_text(HOUSE)
    text = parse.HOUSE_DIVISION.sub(" ", text[text.index("SECTION 1.") :]).replace("SECTION 1.", "SEC. 1.")
    assert _words(_rebuilt(provisions, ".—")) == _words(text)
    citations = [p.citation for p in provisions]
    assert len(citations) == len(set(citations))
    # the sections H.R. 5011 inserts into HAVA and the Homeland Security Act are provisions, in place
    inserted = {p.section: p.amends for p in provisions if p.amends and not p.path}
    assert inserted == {
        "297": "H.R. 5011 §101",
        "297A": "H.R. 5011 §101",
        "297B": "H.R. 5011 §101",
        "297C": "H.R. 5011 §101",
        "297D": "H.R. 5011 §101",
        "297E": "H.R. 5011 §101",
        "901": "H.R. 5011 §103",
        "298": "H.R. 5011 §111",
        "298A": "H.R. 5011 §111",
        "298B": "H.R. 5011 §111",
        "321": "H.R. 5011 §121",
    }
    assert citations.index("H.R. 5011 §297E(b)") + 1 == citations.index("H.R. 5011 §101(b)")  # back in §101 after the insert


@pytest.mark.parametrize("bill", ["S.2261", "H.R. 5011"])
def test_no_page_furniture_or_line_numbers_survive(bill):
    provisions = next(b for b in build()["bills"] if b["bill"] == bill)["provisions"]
    for p in provisions:
        text = f"{p['section_title']} {p['heading']} {p['text']}"
        assert not FURNITURE.search(text), (p["citation"], FURNITURE.search(text).group(0))
        # a line number left between words would read "the 14 election": every small number here is the bill's
        for match in re.finditer(r"(\S+) (\d{1,2}) (\S+)", f" {text} "):
            if int(match.group(2)) > 26:  # no page has more lines
                continue
            assert match.group(1).lower() in {"section", "part", "than", "every", "exceed", "expire", "of", "which", "whom"}, (
                p["citation"],
                match.group(0),
            )
        assert not re.search(r"\w- \w", p["text"]) or bill == "S.2261", (p["citation"], p["text"])  # no line-end hyphens


def test_known_provisions_read_as_printed():
    by = {p["citation"]: p for b in build()["bills"] for p in b["provisions"]}
    assert by["S.2261 §4(i)"]["heading"] == "Information Sharing About Cybersecurity Incidents by Election Agencies"
    assert by["S.2261 §4(i)"]["text"].startswith("If an election agency has reason to believe")
    assert by["S.2261 §3(8)"]["defines"] == ["election cybersecurity incident"]
    assert by["H.R. 5011 §205(b)(1)"]["text"].startswith("Not later than 90 days after receiving a written request")
    assert by["H.R. 5011 §297(b)"]["heading"] == "Amount of Grant"
    assert "the product of $1 and the average of the number of individuals who cast votes" in by["H.R. 5011 §297(b)"]["text"]
    assert by["H.R. 5011 §302(c)(3)"]["heading"] == "No Compensation for Service"  # words the PDF moved, put back
    assert by["H.R. 5011 §2"]["text"].endswith("paper ballots marked by the voter by hand.")


def _lawbook_index() -> Index:
    return Index(p for b in json.loads(output_path().read_text(encoding="utf-8"))["bills"] for p in b["provisions"])


def test_every_duty_of_the_registry_cites_a_provision():
    index = _lawbook_index()
    missing = [
        d.citation for d in registry.all_duties() if d.citation.startswith(("S.2261", "H.R. 5011")) and index.resolve(d.citation) is None
    ]
    assert missing == []
    assert index.resolve("H.R. 5011 §101 (HAVA §297C(2))")["citation"] == "H.R. 5011 §297C(2)"
    assert index.resolve("H.R. 5011 §202 (Homeland Security Act §201(d)(27))")["citation"] == "H.R. 5011 §202"
    assert index.resolve("H.R. 5011 §201")["citation"] == "H.R. 5011 §201"  # the bill's own §201, not an inserted one
    assert index.resolve("S.2261 §4(q)") is None and index.resolve("S.2261 §9") is None


def test_every_citation_in_safelect_resolves():
    """Docstrings, templates, registry text and documentation: a citation of a provision that does
    not exist is a mistake in the citing text."""
    index = _lawbook_index()
    roots = [REPO / "src" / "safelect", REPO / "README.md", REPO / "docs"]
    files = [f for root in roots for f in ([root] if root.is_file() else root.rglob("*"))]
    unresolved = {}
    for path in files:
        if (
            path.suffix not in {".py", ".html", ".md"}
            or "statutes" in path.parts
            or "migrations" in path.parts
            or path.parent == Path(__file__).parent
        ):  # these tests cite missing ones on purpose
            continue
        for match in find_all(path.read_text(encoding="utf-8", errors="replace")):
            if index.resolve(match.group(0)) is None:
                unresolved.setdefault(match.group(0), str(path.relative_to(REPO)))
    assert unresolved == {}
    assert sum(1 for path in files if path.suffix == ".py") > 300  # the scan did read the code
