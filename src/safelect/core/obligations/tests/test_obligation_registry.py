"""Registry of statutory duties and occurrence generation."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from safelect.core.obligations import registry
from safelect.core.obligations.calendar_rules import end_of_day
from safelect.core.obligations.clocks import PolicyTarget, occurrences

NY = ZoneInfo("America/New_York")
# The bills as shipped with safelect (src/safelect/data/statutes; see data/PROVENANCE.md).
STATUTES = resources.files("safelect.data").joinpath("statutes")

REQUIRED = {
    "S2261-4i": "S.2261 §4(i)",
    "S2261-4j1": "S.2261 §4(j)(1)",
    "S2261-4k2": "S.2261 §4(k)(2)",
    "S2261-4l": "S.2261 §4(l)",
    "S2261-4p1A": "S.2261 §4(p)(1)(A)",
    "S2261-4p1B": "S.2261 §4(p)(1)(B)",
    "S2261-5f": "S.2261 §5(f)(1)",
    "S2261-5h": "S.2261 §5(h)",
    "S2261-5i": "S.2261 §5(i)",
    "S2261-5l": "S.2261 §5(l)",
    "S2261-6a1": "S.2261 §6(a)(1)",
    "S2261-6b": "S.2261 §6(b)",
    "S2261-7d": "S.2261 §7(d)",
    "S2261-7f1B": "S.2261 §7(f)(1)(B)",
    "S2261-7f4": "S.2261 §7(f)(4)",
    "S2261-7g2": "S.2261 §7(g)(2)",
    "S2261-7h4": "S.2261 §7(h)(4)",
    "S2261-7i3B": "S.2261 §7(i)(3)(B)",
    "S2261-8a": "S.2261 §8(a)",
    "S2261-4b": "S.2261 §4(b)",
    "S2261-4c": "S.2261 §4(c)",
    "S2261-4e1": "S.2261 §4(e)(1)",
    "S2261-4e2": "S.2261 §4(e)(2)",
    "S2261-4h1": "S.2261 §4(h)(1)",
    "S2261-4h2": "S.2261 §4(h)(2)",
    "HR5011-101-297C2": "H.R. 5011 §101 (HAVA §297C(2))",
    "HR5011-101-297D": "H.R. 5011 §101 (HAVA §297D)",
    "HR5011-112a": "H.R. 5011 §112(a)",
    "HR5011-121-321b": "H.R. 5011 §121 (Homeland Security Act §321(b))",
    "HR5011-204a": "H.R. 5011 §204(a)",
    "HR5011-205b1": "H.R. 5011 §205(b)(1)",
    "HR5011-205b2": "H.R. 5011 §205(b)(2)",
    "HR5011-206": "H.R. 5011 §206",
    "HR5011-301a": "H.R. 5011 §301(a)",
    "HR5011-301c": "H.R. 5011 §301(c)",
    "HR5011-302c4": "H.R. 5011 §302(c)(4)",
    "HR5011-302c5": "H.R. 5011 §302(c)(5)",
    "HR5011-302e1": "H.R. 5011 §302(e)(1)",
    "HR5011-302j2": "H.R. 5011 §302(j)(2)",
    "HR5011-302k1": "H.R. 5011 §302(k)(1)",
    "HR5011-402": "H.R. 5011 §402",
    "HR5011-101-297a1": "H.R. 5011 §101 (HAVA §297(a)(1))",
    "HR5011-101-297a2": "H.R. 5011 §101 (HAVA §297(a)(2))",
    "HR5011-111-298a": "H.R. 5011 §111 (HAVA §298(a))",
    "S2261-8d1": "S.2261 §8(d)(1)",
}
PROMPTLY = {"S2261-4b", "S2261-4c", "S2261-4e1", "S2261-4e2", "S2261-4h1", "S2261-4h2"}


@pytest.mark.parametrize(("code", "citation"), sorted(REQUIRED.items()))
def test_every_named_duty_is_present_with_citation_and_rule(code: str, citation: str) -> None:
    duty = registry.get(code)
    assert duty.citation == citation
    assert duty.rule.describe()
    assert duty.title and duty.text and duty.owed_to
    assert duty.reminder_lead_times and duty.reminder_lead_times[-1] == timedelta(0)


def test_promptly_duties_are_policy_with_default_and_setting() -> None:
    for code in PROMPTLY | {"HR5011-205b2", "S2261-4p1B", "S2261-4k2"}:
        duty = registry.get(code)
        assert duty.period_kind == "policy" and isinstance(duty.rule, PolicyTarget)
        assert duty.policy_setting == f'SAFELECT_OBLIGATION_POLICY_TARGETS["{code}"]'
        assert "not a statutory deadline" in duty.describe_rule()
        assert duty.as_dict()["policy_default_days"] == duty.rule.days


def test_statutory_duties_are_never_overridden() -> None:
    duty = registry.get("S2261-4i")
    assert duty.effective_rule({"S2261-4i": 30}) is duty.rule
    policy = registry.get("S2261-4h1")
    assert policy.due(datetime(2026, 3, 2, 14, tzinfo=NY), NY, overrides={"S2261-4h1": 0}) == end_of_day(date(2026, 3, 2), NY)


def test_lookups() -> None:
    codes = [d.code for d in registry.all_duties()]
    assert len(codes) == len(set(codes)) >= len(REQUIRED)
    with pytest.raises(KeyError):
        registry.get("S2261-99z")
    fy = {d.code for d in registry.duties_for_trigger("fiscal_year_end")}
    assert fy == {"S2261-6a1", "HR5011-101-297D", "HR5011-121-321b"}
    assert {d.code for d in registry.duties_for_trigger("federal_general_election")} == {
        "HR5011-204a",
        "HR5011-101-297a2",
        "HR5011-111-298a",
    }
    assert "S2261-4i" in {d.code for d in registry.duties_for_holder("state_election_office")}
    with pytest.raises(ValueError):
        registry.duties_for_trigger("whenever")


def test_codes_match_citations() -> None:
    for duty in registry.all_duties():
        assert re.fullmatch(r"(S2261|HR5011)-[0-9A-Za-z-]+", duty.code)
        assert duty.citation.startswith(duty.bill)


def test_as_dict_is_json_and_shows_assumed_enactment() -> None:
    rows = registry.registry_as_dicts()
    json.dumps(rows)
    row = next(r for r in rows if r["code"] == "S2261-4l")
    assert row["enactment"] == {"assumed_date": "2018-02-14", "is_default": True, "setting": "SAFELECT_ENACTMENT_DATE", "applies": True}
    assert registry.get("S2261-4l").as_dict("2019-03-01")["enactment"]["assumed_date"] == "2019-03-01"


def _norm(text: str, pdf: bool) -> str:
    """Letters and digits only. For the PDF extraction (H.R. 5011) also drop page
    headers and line numbers — which loses small numbers on both sides alike."""
    if pdf:
        text = re.sub(r"G:\\VHLC.*?SAFELECT\.XML \d+", " ", text)
        text = re.sub(r"\s\d{1,2}(?=\s)", " ", text)  # PDF line numbers (twice: they can be adjacent)
        text = re.sub(r"\s\d{1,2}(?=\s)", " ", text)
        text = re.sub(r"(?<=[a-z])\d{1,2} (?=[a-z])", "", text)  # line number glued inside a broken word
    return re.sub(r"[^a-z0-9]+", "", text.lower())  # compare letters only: the PDF loses hyphens


def test_quoted_text_occurs_in_the_statute() -> None:
    """Each '...'-separated fragment of every quote must occur in the bill text."""
    sources = {
        "S.2261": _norm(STATUTES.joinpath("s2261.txt").read_text(encoding="utf-8"), pdf=False),
        "H.R. 5011": _norm(STATUTES.joinpath("hr5011.txt").read_text(encoding="utf-8"), pdf=True),
    }
    missing = []
    for duty in registry.all_duties():
        for fragment in re.split(r"\.\.\.", duty.text):
            fragment = re.sub(r"\[[^\]]*\]", " ", fragment)  # editorial insertions like [The]
            words = _norm(fragment, pdf=duty.bill == "H.R. 5011")
            if len(words) > 12 and words not in sources[duty.bill]:
                missing.append((duty.code, words))
    assert missing == []


def test_occurrences_section_5l_every_two_years() -> None:
    got = list(occurrences(registry.get("S2261-5l"), datetime(2018, 1, 1, tzinfo=NY), datetime(2025, 12, 31, tzinfo=NY), NY))
    assert [o.due_at.date() for o in got] == [date(2019, 1, 31), date(2021, 1, 31), date(2023, 1, 31), date(2025, 1, 31)]
    assert [o.label for o in got] == ["2019", "2021", "2023", "2025"]


def test_occurrences_section_6a1_enactment_then_30_october() -> None:
    got = list(
        occurrences(
            registry.get("S2261-6a1"),
            datetime(2018, 1, 1, tzinfo=NY),
            datetime(2020, 12, 31, tzinfo=NY),
            "America/New_York",
            enactment=date(2018, 2, 14),
        )
    )
    assert [(o.due_at.date(), o.label) for o in got] == [
        (date(2018, 3, 16), "initial (after enactment)"),
        (date(2018, 10, 30), "FY2018"),
        (date(2019, 10, 30), "FY2019"),
        (date(2020, 10, 30), "FY2020"),
    ]
    assert got[1].trigger_at == datetime(2018, 9, 30, tzinfo=NY)
    # With another enactment date, only the first report moves.
    later = list(
        occurrences(
            registry.get("S2261-6a1"), datetime(2024, 1, 1, tzinfo=NY), datetime(2026, 12, 31, tzinfo=NY), NY, enactment="2025-06-01"
        )
    )
    assert [o.due_at.date() for o in later] == [date(2025, 7, 1), date(2025, 10, 30), date(2026, 10, 30)]


def test_occurrences_threat_assessment_opens_coming_cycle() -> None:
    start = datetime(2026, 3, 2, 14, tzinfo=NY)
    got = list(occurrences(registry.get("HR5011-204a"), start, start + timedelta(days=90), NY))
    assert len(got) == 1
    assert got[0].due_at == end_of_day(date(2026, 5, 7), NY)
    assert got[0].trigger_at == datetime(2026, 11, 3, tzinfo=NY)
    assert got[0].label == "2026 general election"


def test_occurrences_window_is_inclusive_on_due_moment() -> None:
    duty = registry.get("S2261-5l")
    due = end_of_day(date(2021, 1, 31), NY)
    assert [o.label for o in occurrences(duty, due, due, NY)] == ["2021"]
    assert list(occurrences(duty, due + timedelta(microseconds=1), due + timedelta(days=30), NY)) == []


def test_occurrences_enactment_once_and_events_none() -> None:
    got = list(occurrences(registry.get("HR5011-402"), datetime(2018, 1, 1, tzinfo=NY), datetime(2018, 12, 31, tzinfo=NY), NY))
    assert [(o.due_at.date(), o.label) for o in got] == [(date(2018, 6, 14), "once")]
    assert list(occurrences(registry.get("S2261-4i"), datetime(2018, 1, 1, tzinfo=NY), datetime(2030, 1, 1, tzinfo=NY), NY)) == []


def test_occurrences_annual_report_through_2026() -> None:
    got = list(occurrences(registry.get("HR5011-206"), datetime(2025, 1, 1, tzinfo=NY), datetime(2030, 1, 1, tzinfo=NY), NY))
    assert [o.due_at.date() for o in got] == [date(2025, 2, 14), date(2026, 2, 14)]


def test_fixed_and_enactment_dates_are_consistent_with_default_enactment() -> None:
    """The default enactment keeps the bills' own fixed dates in a sensible order."""

    def due(code: str) -> date:
        return registry.get(code).due(None, NY).date()

    assert due("S2261-5h") == date(2018, 8, 13) < due("S2261-5l") == date(2019, 1, 31)
    assert due("S2261-4l") == date(2018, 3, 16) < due("S2261-7f1B") == date(2018, 11, 6)
    assert due("S2261-7h4") == date(2019, 1, 31)
    assert due("HR5011-302c4") == date(2018, 4, 15)
    assert due("S2261-8a") == due("HR5011-301a") == date(2019, 2, 14)
    with pytest.raises(ValueError):
        registry.get("S2261-4i").due(None, NY)


def test_corrections_from_a_line_by_line_reading() -> None:
    """Who holds what, and what is not a deadline at all."""
    for code in ("S2261-5f", "S2261-5h", "S2261-5l"):  # the Advisory Panel, not the national office
        assert registry.get(code).holder == "advisory_panel"
    permission = registry.get("S2261-7f4")  # the agency's permission after 30 days, not the office's deadline
    assert permission.sense == "permission_from" and permission.holder == "local_election_agency"
    assert permission.describe_rule().startswith("permitted from the end of 30 calendar days")
    from safelect.core.obligations.services import ObligationError, open

    with pytest.raises(ObligationError, match="permission"):
        open("S2261-7f4", None, None, None)  # never an obligation, so never overdue
    with pytest.raises(KeyError):
        registry.get("S2261-7b2Aii")  # a funding criterion of §7(b), not a State deadline
    awards = registry.get("S2261-7h4")
    assert awards.describe_rule().startswith("on 2019-01-31") and "local_election_agency" in awards.owed_to
    assert registry.get("S2261-4h2").trigger == registry.get("S2261-4j1").trigger  # one provider event, two clocks
    assert registry.get("HR5011-301a").co_holders == ()  # the EAC is consulted
    assert registry.get("HR5011-204a").co_holders == ("national_office",)
    assert registry.get("S2261-8d1").is_policy  # "recurring": the interval is the office's policy


def test_every_event_trigger_has_words_for_people():
    """Rule descriptions name the event in words ("after the discovery of the incident"), never its code."""
    from safelect.core.obligations.registry.duty import EVENT_WORDS

    events = {duty.trigger.event for duty in registry.every_duty() if duty.trigger.kind == "event"}
    assert events, "the registry has event-triggered duties"
    assert sorted(events - set(EVENT_WORDS)) == []
    for duty in registry.every_duty():
        assert "_" not in duty.trigger.describe(), duty.code
