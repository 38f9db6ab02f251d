"""The question set: hand-written questions with the provision that answers each. The answer's top
citation must be right for at least 90 % of them (the README reports the figure); a question the
bills do not answer gets "The bills do not say."; an answer is only quotations, clocks and fixed
sentences."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from safelect.programs.lawbook.ask import ask
from safelect.programs.lawbook.models import Provision

pytestmark = pytest.mark.django_db
QUESTIONS = json.loads((Path(__file__).parent / "questions.json").read_text(encoding="utf-8"))["questions"]


def _family(citation: str) -> set[str]:
    """The expected provision, its parent and its children."""
    found = Provision.objects.filter(citation=citation).first()
    assert found is not None, f"the question set names {citation}, which is not a provision"
    family = {found.citation, *found.children.values_list("citation", flat=True)}
    if found.parent_id:
        family.add(found.parent.citation)
    return family


def score_question_set() -> tuple[int, int, list[str]]:
    right, wrong = 0, []
    for question, expected in QUESTIONS:
        answer = ask(question)
        top = answer.citations[0].provision.citation if answer.found else None
        if (expected is None and not answer.found) or (expected is not None and top in _family(expected)):
            right += 1
        else:
            wrong.append(f"{question!r}: expected {expected}, got {top}")
    return right, len(QUESTIONS), wrong


def test_at_least_40_questions_and_90_percent_top_citations_right():
    assert len([q for q in QUESTIONS if q[1]]) >= 40
    right, total, wrong = score_question_set()
    assert right / total >= 0.9, f"{right}/{total} right:\n" + "\n".join(wrong)


def test_an_answer_is_quotations_clocks_and_fixed_sentences_only():
    answer = ask("How long does an election service provider have to notify election agencies of a possible incident?")
    quotes = [s for s in answer.sentences if s.kind == "quote"]
    assert quotes and all(
        s.text.strip("“”").strip() in Provision.objects.get(citation=s.citation).text or s.text.startswith("(") for s in quotes
    )
    for sentence in quotes:
        provision = Provision.objects.get(citation=sentence.citation)
        body = sentence.text.split("“", 1)[1].rstrip("”")
        assert body == provision.text
    assert {s.kind for s in answer.sentences} <= {"quote", "clock", "template"}
    nothing = ask("What is the salary of the Secretary of Homeland Security?")
    assert not nothing.found and nothing.text == "The bills do not say."


def test_the_clock_is_computed_for_the_askers_zone():
    now = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
    answer = ask(
        "How long does the Secretary have to commence a security risk and vulnerability assessment after a written request?",
        zone="America/Chicago",
        now=now,
    )
    clocks = [s.text for s in answer.sentences if s.kind == "clock"]
    assert clocks and "March 1, 2027" in clocks[0] and "America/Chicago" in clocks[0]  # 90 calendar days after December 1, 2026
