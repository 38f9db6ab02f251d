"""The composition rules of the Advisory Panel (S.2261 §5(a)(2)–(3)) and the National Commission
(H.R. 5011 §302(c)(1), (d)): each rule has a passing body and a body that breaks it, named by its section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from safelect.programs.governance import composition


@dataclass(frozen=True)
class M:
    name: str
    appointed_by: str
    expertise: str = "cybersecurity"
    office: str = "member"
    federal_employee: bool = False
    appointed_on: dt.date = dt.date(2026, 1, 5)
    left_on: dt.date | None = None

    @property
    def fields(self) -> set[str]:
        return {f.strip() for f in self.expertise.split(",")}


def panel() -> list[M]:
    return [
        M("Chair", "secretary", office="chair"),
        *[M(f"Sec {n}", "secretary") for n in range(4)],
        M("NASS", "nass", "election law"),
        M("NASED", "nased", "election administration"),
        M("NACo", "naco", "election administration"),
        M("NLC", "nlc", "cybersecurity"),
    ]


def commission() -> list[M]:
    seats = ["secretary", "chairman", "senate_majority", "senate_majority", "senate_minority", "senate_minority", "speaker", "speaker"]
    seats += ["house_minority", "house_minority"]
    people = [M(f"Member {n}", who) for n, who in enumerate(seats)]
    people[0] = replace(people[0], office="chair")
    people[1] = replace(people[1], office="vice_chair")
    return people


def test_a_complete_panel_passes():
    assert composition.panel_violations(panel()) == []
    # "not less than 9": a tenth member appointed by the Secretary is allowed
    assert composition.panel_violations([*panel(), M("Tenth", "secretary")]) == []


@pytest.mark.parametrize(
    ("change", "cite"),
    [
        (lambda p: p[:-1], "S.2261 §5(a)(2): the Advisory Panel has 8 member(s)"),
        (lambda p: [m for m in p if m.appointed_by != "nased"] + [M("Extra", "secretary")], "S.2261 §5(a)(2)(C)"),
        (lambda p: [*p, M("Second NASS", "nass", "election law")], "S.2261 §5(a)(2)(B)"),
        (lambda p: [replace(m, office="member") for m in p], "one Chairperson"),
        (
            lambda p: [replace(m, office="member") for m in p[:-1]] + [replace(p[-1], office="chair")],
            "must be one of the Secretary's appointees",
        ),
        (lambda p: [replace(p[0], federal_employee=True), *p[1:]], "S.2261 §5(a)(3)(A)"),
        (lambda p: [replace(p[1], expertise="election law"), *p[:1], *p[2:]], "S.2261 §5(a)(3)(B)"),
        (lambda p: [*p[:5], replace(p[5], expertise="journalism"), *p[6:]], "S.2261 §5(a)(3)(C)"),
        (lambda p: [*p, M("Governor's pick", "speaker")], "who appoints no panel member"),
    ],
)
def test_each_panel_rule_names_its_violation(change, cite):
    found = composition.panel_violations(change(panel()))
    assert any(cite in v for v in found), found


def test_a_complete_commission_passes():
    assert composition.commission_violations(commission()) == []


@pytest.mark.parametrize(
    ("change", "cite"),
    [
        (lambda c: c[:-1], "H.R. 5011 §302(c)(1): the Commission has 9 member(s)"),
        (lambda c: [*c[:-1], M("Third Speaker pick", "speaker")], "H.R. 5011 §302(c)(1)(F)"),
        (lambda c: [*c[:-1], M("Third Speaker pick", "speaker")], "H.R. 5011 §302(c)(1)(E)"),
        (lambda c: [replace(c[0], office="member"), *c[1:]], "H.R. 5011 §302(d): the Commission elects a Chair"),
        (lambda c: [c[0], replace(c[1], office="member"), *c[2:]], "elects a Vice Chair"),
        (lambda c: [*c[:-1], M("NASS pick", "nass")], "who appoints no Commission member"),
    ],
)
def test_each_commission_rule_names_its_violation(change, cite):
    found = composition.commission_violations(change(commission()))
    assert any(cite in v for v in found), found


def test_only_serving_members_count():
    people = [*panel()[:-1], M("NLC", "nlc", left_on=dt.date(2026, 3, 1)), M("New NLC", "nlc", appointed_on=dt.date(2026, 3, 2))]
    assert composition.panel_violations(composition.serving(people, dt.date(2026, 3, 1))) != []  # the seat is empty that day
    assert composition.panel_violations(composition.serving(people, dt.date(2026, 3, 2))) == []
