"""The lawbook's JSON API: a question answered from the bills' text (the same answer as the page and
``safelect lawbook ask --json``)."""

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from safelect.core.web.permissions import PUBLIC, requires

from .ask import ask

router = Router(tags=["lawbook"])


class CitationOut(Schema):
    citation: str
    heading: str
    score: float


class SentenceOut(Schema):
    kind: str
    text: str
    citation: str


class AnswerOut(Schema):
    question: str
    found: bool
    citations: list[CitationOut]
    answer: list[SentenceOut]


@router.get("/ask", response=AnswerOut, summary="Answer a question from the bills' text, with citations")
@requires(PUBLIC)
def ask_question(request, q: str, zone: str = "America/New_York"):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    question = q.strip()
    if not question or len(question) > 500:
        raise ValidationError({"q": "Ask a question of at most 500 characters."})
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"zone": f"{zone!r} is not a time zone (for example America/Chicago)."}) from None
    return ask(question, zone=zone).as_dict()
