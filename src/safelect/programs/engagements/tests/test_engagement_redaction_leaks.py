"""Withheld words never reach a release: malformed redaction markup is refused on every write path
and, where it already exists, is treated as withheld, never as released.

Found by trying the product: an unclosed ``[[(b)(6)|Jane Doe`` or an unknown code
``[[(x)(9)|Bob]]`` was saved, and the FOIA export, the State official's view and the list showed
the withheld words.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import State
from safelect.programs.engagements import exports, services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.importing import parse_redacted, redaction_problems
from safelect.programs.engagements.models import Engagement, ReviewFlag

SYSTEM = Actor.system()

MALFORMED = {
    "unclosed": "Met [[(b)(6)|Jane Doe",
    "unknown code": "Met [[(x)(9)|Bob Roe]] today",
    "no bar": "Met [[(b)(6) Jane Doe]] today",
    "empty code": "Met [[|Jane Doe]] today",
    "nested": "Met [[(b)(6)|Jane [[(b)(5)|Doe]] today",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_each_malformed_span_is_named_and_withheld(name):
    text = MALFORMED[name]
    problems = redaction_problems(text)
    assert problems and problems[0].startswith("character 5:"), problems
    assert "Jane" not in " ".join(problems) and "Bob" not in " ".join(problems)  # messages never echo withheld words
    released = parse_redacted(text).foia()
    assert "Jane" not in released and "Bob" not in released and "Doe" not in released


def test_valid_markup_has_no_problems_and_released_codes_stay():
    assert redaction_problems("Met [[(b)(6)|Jane Doe]] and [[(b)(7)(C)|an agent]]; (b) (5) withheld") == []
    assert redaction_problems("plain text with [brackets] and ]") == []
    assert redaction_problems("a stray ]] here") == ["character 9: ']]' closes no redaction span; open one with [[(b)(6)|…"]


@pytest.mark.django_db
def test_the_service_refuses_malformed_markup_and_changes_nothing():
    before = Engagement.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.create_engagement(
            SYSTEM, {"state": State.objects.get(usps="WI"), "meeting_date": dt.date(2026, 3, 2), "attendees": MALFORMED["unclosed"]}
        )
    assert "attendees" in refused.value.message_dict
    assert "not closed" in refused.value.message_dict["attendees"][0]
    assert Engagement.objects.count() == before


@pytest.mark.django_db
def test_the_api_and_the_form_say_which_field_is_wrong():
    _, staff = make_member("national_program_staff")
    response = staff.post(
        "/api/engagements/records",
        json.dumps({"state": "WI", "meeting_date": "2026-03-02", "texts": {"discussion": MALFORMED["unknown code"]}}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "discussion" in response.content.decode()
    assert "unknown FOIA exemption code '(x)(9)'" in response.content.decode()
    page = staff.post(
        reverse("engagements:create"),
        {"state": State.objects.get(usps="WI").pk, "status": "dated", "meeting_date": "2026-03-02", "attendees": MALFORMED["unclosed"]},
    )
    assert page.status_code == 200
    assert "is not closed" in page.content.decode() and not Engagement.objects.filter(state__usps="WI").exists()


@pytest.mark.django_db
def test_an_import_flags_malformed_markup_for_review_and_withholds_it():
    csv = (
        "Region,State,Local Jurisdiction,Date,Location,POC,Key Attendees and Affiliations,Key Discussion Points,"
        "Issues or Concerns,Follow-up Required,For Leadership Awareness,Leadership Action,Next Scheduled Engagement,"
        "Notes / Comments\n"
        '5,Wisconsin,,10/11/2017,Madison,,"[[(b)(6)|Jane Doe, county clerk",Logging,,,,,,\n'
    )
    result = services.commit_import(csv.encode(), "tracker.csv", SYSTEM)
    assert not result.already_imported
    engagement = Engagement.objects.filter(state__usps="WI", meeting_date=dt.date(2017, 10, 11)).get()
    assert "Jane" not in engagement.text("attendees").foia()
    flag = ReviewFlag.objects.get(engagement=engagement, kind="malformed_redaction")
    assert "not closed" in flag.message and "Jane" not in flag.message


# --- the property: whatever the markup, no release contains a word from inside a span -------------------

_words = st.text(alphabet="abcdefghij ,.", min_size=0, max_size=12)
_secret = st.integers(min_value=0, max_value=10**6).map(lambda n: f"Zq{n}x")
_span = st.tuples(
    st.sampled_from(
        [
            "[[(b)(6)|{}]]",
            "[[(b)(7)(C)|{}]]",
            "[[unspecified|{}]]",
            "[[(b)(6)|{}",
            "[[(x)(9)|{}]]",
            "[[(b)(6) {}]]",
            "[[|{}]]",
            "[[ (b) (5) |{}]]",
            "[[(b)(6)|{}] ]",
            "[[(b)(6)|{}]",
        ]
    ),
    _secret,
).map(lambda pair: (pair[0].format(pair[1]), pair[1]))


@st.composite
def marked_texts(draw):
    """(marked text, withheld secrets): clear words and spans, well-formed or not."""
    pieces, secrets = [], []
    for _ in range(draw(st.integers(1, 4))):
        pieces.append(draw(_words))
        span, secret = draw(_span)
        pieces.append(span)
        secrets.append(secret)
    pieces.append(draw(_words))
    return "".join(pieces), secrets


@given(marked_texts())
def test_no_release_of_parsed_text_contains_withheld_words(case):
    text, secrets = case
    released = parse_redacted(text).foia()
    for secret in secrets:
        assert secret not in released, (text, released)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=marked_texts())
def test_no_export_or_state_view_contains_withheld_words(case, client):
    """Stored as it would have been before validation existed (straight onto the model), then read
    back through every release path a State official or the public has."""
    text, secrets = case
    wisconsin = State.objects.get(usps="WI")
    engagement = Engagement(state=wisconsin, region=wisconsin.region, status="dated", meeting_date=dt.date(2026, 3, 2))
    engagement.attendees = text
    engagement.discussion = text
    engagement.save()
    summary = exports.build_summary(Engagement.objects.filter(pk=engagement.pk), release=True)
    outputs = [exports.write(summary, "csv").decode()]
    book = load_workbook(io.BytesIO(exports.write(summary, "xlsx")))
    outputs.append("\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c))
    _, official = make_member("chief_state_election_official", "state:WI")
    outputs.append(official.get(reverse("engagements:detail", args=[engagement.pk])).content.decode())
    outputs.append(official.get(reverse("engagements:list")).content.decode())
    outputs.append(official.get(f"/api/engagements/records/{engagement.pk}").content.decode())
    for output in outputs:
        for secret in secrets:
            assert secret not in output, (text, secret)


@pytest.mark.django_db
def test_a_state_official_reads_the_released_text_as_text_not_as_escaped_html():
    """The released view printed ``<p>…</p>`` as text in every field; it must also stay escaped."""
    wisconsin = State.objects.get(usps="WI")
    engagement = services.create_engagement(
        SYSTEM,
        {
            "state": wisconsin,
            "meeting_date": dt.date(2026, 3, 2),
            "location": "Madison <b>City Hall</b>",
            "discussion": "First line\nSecond line with [[(b)(6)|Jane Doe]]",
        },
    )
    _, official = make_member("chief_state_election_official", "state:WI")
    page = official.get(reverse("engagements:detail", args=[engagement.pk])).content.decode()
    assert "&lt;p&gt;" not in page and "&lt;div" not in page
    assert '<div class="safelect-redacted-text">First line\nSecond line with (b)(6)</div>' in page
    assert "Madison &lt;b&gt;City Hall&lt;/b&gt;" in page and "<b>City Hall</b>" not in page
