"""The guidelines from draft to publication (S.2261 §5(f)–(k)) and their public comment: the 45 days
and the Secretary's 14 days come from the obligations registry; a comment with a voter's SSN is held
and published only with it removed; every abuse control refuses and stores nothing; the email link
goes through a real SMTP server on loopback; every step refuses the wrong role and the wrong state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.comments import public
from safelect.core.comments import services as comment_services
from safelect.core.comments.models import Comment
from safelect.core.comments.tasks import send_confirmation
from safelect.core.directory.queries import national_office
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.registry import get as get_duty
from safelect.core.outbox.models import Notice
from safelect.core.outbox.testing import smtp_server  # noqa: F401  (fixture)
from safelect.programs.governance import guidelines
from safelect.programs.governance.forms import parse_sections
from safelect.programs.governance.models import GuidelineVersion

pytestmark = pytest.mark.django_db
SSN = "219-09-9999"
TEXT = """## Risks
Covers: S.2261 §5(b)(1), S.2261 §5(b)(2)(A), S.2261 §5(b)(2)(B), S.2261 §5(b)(2)(C)
The top risks and what to do about them.

## Paper
Covers: S.2261 §5(d)(1)
Paper ballots the voter inspects.

## Audits
Covers: S.2261 §5(d)(2)
A random sample inspected by hand before certification."""


def _actor(role: str):
    user, client = make_member(role)
    return Actor.member(Membership.objects.get(user=user)), client


@pytest.fixture
def staff():
    return _actor("national_program_staff")


@pytest.fixture
def director():
    return _actor("national_leadership")


def _draft(staff_actor, text=TEXT) -> GuidelineVersion:
    return guidelines.draft(
        staff_actor, title="Election Cybersecurity Guidelines", summary="Draft.", sections=parse_sections(text), factors={}, cycle="initial"
    )


def _clock(code: str, subject) -> Obligation:
    return Obligation.objects.get(duty_code=code, subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def test_the_whole_lifecycle_with_its_clocks(staff, director):
    staff_actor, _ = staff
    director_actor, _ = director
    version = guidelines.open_comment(staff_actor, _draft(staff_actor), federal_register="91 FR 1")
    office = national_office()
    opened = version.solicitation.opens_at
    # the 45 days are the registry's S2261-5f clock, in the office's zone
    assert version.solicitation.closes_at == get_duty("S2261-5f").due(opened, office.time_zone) == _clock("S2261-5f", version).due_at
    assert version.solicitation.is_public and (version.solicitation.closes_at - opened) > dt.timedelta(days=44)
    held = public.submit(version.solicitation, text=f"My SSN is {SSN}; audits must be public.", address="192.0.2.1")
    plain = public.submit(version.solicitation, text="Please publish audit results by precinct.", name="Pat Public", address="192.0.2.2")
    assert held.status == Comment.Status.HELD and plain.status == Comment.Status.AWAITING
    assert list(public.published(version.solicitation)) == []  # nothing is published on receipt
    with pytest.raises(ValidationError, match="45-day comment period runs until"):
        guidelines.close_comment(staff_actor, version)
    public.moderate(staff_actor, held, "publish")
    public.moderate(staff_actor, plain, "publish")
    held.refresh_from_db()
    assert SSN not in held.published_text and "[Social Security number removed]" in held.published_text
    with time_machine.travel(version.solicitation.closes_at + dt.timedelta(minutes=1)):
        version = guidelines.close_comment(staff_actor, version)
        assert _clock("S2261-5f", version).status == "fulfilled_on_time"
        with pytest.raises(ValidationError, match="Consider every public comment"):
            guidelines.submit_to_secretary(staff_actor, version)
        for c in (held, plain):
            comment_services.dispose(staff_actor, c, "adopted", "Audits are public in section 3.")
        version = guidelines.submit_to_secretary(staff_actor, version)
        received = version.submitted_to_secretary_at
        # the Secretary's 14 calendar days (§5(i)) from the registry
        assert _clock("S2261-5i", version).due_at == get_duty("S2261-5i").due(received, office.time_zone)
        with pytest.raises(PermissionDenied):
            guidelines.send_to_congress(staff_actor, version, modified=False)
        with pytest.raises(ValidationError, match="written justification"):
            guidelines.send_to_congress(director_actor, version, modified=True, justification="Because.")
        version = guidelines.send_to_congress(
            director_actor,
            version,
            modified=True,
            justification="Section 3 now names the sample size method, for good cause under §5(e)(1)(C).",
        )
        assert _clock("S2261-5i", version).status == "fulfilled_on_time"
        names = [r["name"] for r in version.recipients]
        assert "Senate Committee on Rules and Administration" in names and any(n.startswith("Speaker of the House") for n in names)
        assert names[-1].startswith("The Advisory Panel")  # the justification goes to the panel too
        version = guidelines.distribute_and_publish(director_actor, version)
    assert version.status == "published" and version.distributed_to > 6000  # every State and local election agency
    notice = Notice.objects.get(kind="governance.guidelines_published")
    assert notice.deliveries.count() >= 1 or version.distributed_to  # delivered to the members the agencies have
    assert guidelines.current() == version


def test_wrong_state_and_wrong_role_change_nothing(staff, director):
    staff_actor, _ = staff
    director_actor, _ = director
    state, _ = _actor("chief_state_election_official")
    version = _draft(staff_actor)
    for step in (guidelines.close_comment, guidelines.submit_to_secretary):
        with pytest.raises(ValidationError):
            step(staff_actor, version)
    with pytest.raises(ValidationError):
        guidelines.distribute_and_publish(director_actor, version)
    for call in (
        lambda: guidelines.open_comment(state, version),
        lambda: guidelines.open_comment(director_actor, version),
        lambda: _draft(state),
        lambda: guidelines.consult(state, version, entity="5g12", held_on=timezone.localdate(), summary="A talk with MS-ISAC."),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(ValidationError, match="Another version is in progress"):
        _draft(staff_actor)
    with pytest.raises(ValidationError, match="must include"):
        v = guidelines.open_comment(staff_actor, version)
        with time_machine.travel(v.solicitation.closes_at + dt.timedelta(minutes=1)):
            guidelines.close_comment(staff_actor, v)
            guidelines.revise(staff_actor, v, summary="", sections=parse_sections("## Only\nOne section."), factors={})
            guidelines.submit_to_secretary(staff_actor, v)
    version.refresh_from_db()
    assert version.status == "revision" and version.submitted_to_secretary_at is None


def test_sections_and_factors_are_checked():
    with pytest.raises(ValidationError, match="not required content"):
        guidelines._clean_sections([{"heading": "A", "text": "B", "covers": ["the ninth article"]}])
    with pytest.raises(ValidationError, match="heading and text"):
        guidelines._clean_sections([{"heading": "", "text": "B"}])
    with pytest.raises(ValidationError, match="§5\\(e\\) factor"):
        guidelines._clean_factors({"S.2261 §4(c)": "x"})
    with pytest.raises(ValidationError, match="Start each section"):
        parse_sections("text before any heading")


def test_public_comment_abuse_controls_store_nothing(staff):
    staff_actor, _ = staff
    version = guidelines.open_comment(staff_actor, _draft(staff_actor))
    s = version.solicitation
    client = Client()
    url = reverse("governance:guideline", args=[version.number])
    before = Comment.objects.count()
    # the honeypot: answered as received, nothing stored
    answer = client.post(url, {"action": "comment", "text": "Buy cheap things now, click here.", "website": "http://spam.example"})
    assert answer.status_code == 302 and Comment.objects.count() == before
    # bad fields: 422 with the reason, nothing stored
    answer = client.post(url, {"action": "comment", "text": "short", "email": "not-an-address"})
    assert answer.status_code == 422 and b"at least a sentence" in answer.content and b"such as name@example.org" in answer.content
    answer = client.post(url, {"action": "comment", "text": "x" * (public.MAX_COMMENT + 1)})
    assert answer.status_code == 422 and b"At most 20,000 characters" in answer.content
    assert Comment.objects.count() == before
    # the rate limit per sender
    for n in range(public.PER_SENDER_PER_HOUR):
        assert client.post(url, {"action": "comment", "text": f"Comment number {n} about audits."}).status_code == 302
    answer = client.post(url, {"action": "comment", "text": "One comment too many about audits."})
    assert answer.status_code == 429 and Comment.objects.count() == before + public.PER_SENDER_PER_HOUR
    # another sender is not limited by the first
    other = public.submit(s, text="A different person comments on audits.", address="198.51.100.7")
    assert other.status == Comment.Status.AWAITING
    # a closed period refuses
    with time_machine.travel(s.closes_at + dt.timedelta(seconds=1)), pytest.raises(ValidationError, match="comment period closed"):
        public.submit(s, text="Too late, but about audits.", address="198.51.100.8")
    # a solicitation that is not public takes no public comment
    s.is_public = False
    s.save(update_fields=["is_public"])
    with pytest.raises(PermissionDenied):
        public.submit(s, text="Not public, about audits.", address="198.51.100.9")


def test_the_email_is_confirmed_by_a_link_sent_over_smtp(staff, smtp_server):  # noqa: F811
    staff_actor, _ = staff
    version = guidelines.open_comment(staff_actor, _draft(staff_actor))
    comment = public.submit(version.solicitation, text="Audits should be public and observed.", name="Robin", email="robin@example.org")
    assert send_confirmation(comment_id=comment.pk) is True
    assert send_confirmation(comment_id=comment.pk) is False  # a second run of the job sends nothing
    [message] = smtp_server.mailbox.wait_for(1)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(/comments/confirm/[^/\s]+/)", body).group(1)
    client = Client()
    assert client.get("/comments/confirm/not-a-token/").status_code == 400
    assert client.get(link).status_code == 200
    comment.refresh_from_db()
    assert comment.email_confirmed_at is not None
    # the address never reaches a public page or export
    public.moderate(staff_actor, comment, "publish")
    page = client.get(reverse("governance:guideline", args=[version.number]))
    assert b"robin@example.org" not in page.content and b"Robin (email confirmed)" in page.content
    export = client.get(reverse("comments:export", args=[version.solicitation.pk, "csv"]))
    assert b"robin@example.org" not in export.content and b"Audits should be public" in export.content


def test_moderation_and_exports_per_role(staff):
    staff_actor, staff_client = staff
    version = guidelines.open_comment(staff_actor, _draft(staff_actor))
    s = version.solicitation
    held = public.submit(s, text=f'=HYPERLINK("http://x") my SSN is {SSN} and audits matter.', address="192.0.2.3")
    state, state_client = _actor("chief_state_election_official")
    with pytest.raises(PermissionDenied):
        public.moderate(state, held, "publish")
    assert state_client.get(reverse("comments:moderation", args=[s.pk])).status_code in (403, 404)
    assert Client().get(reverse("comments:moderation", args=[s.pk])).status_code in (302, 403)
    with pytest.raises(ValidationError, match="Say why"):
        public.moderate(staff_actor, held, "reject", "")
    listing = staff_client.get(reverse("comments:solicitation", args=[s.pk]))
    assert reverse("comments:moderation", args=[s.pk]).encode() in listing.content
    page = staff_client.get(reverse("comments:moderation", args=[s.pk]))
    assert page.status_code == 200 and b"Social Security number" in page.content and SSN.encode() not in page.content
    # the public export holds nothing unpublished; the staff export the redacted preview, never the SSN
    assert b"HYPERLINK" not in Client().get(reverse("comments:export", args=[s.pk, "csv"])).content
    staff_csv = staff_client.get(reverse("comments:export", args=[s.pk, "csv"])).content
    assert SSN.encode() not in staff_csv and b"'=HYPERLINK" in staff_csv  # formula neutralised
    public.moderate(staff_actor, held, "publish")
    for fmt, magic in (("csv", b"Number"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        body = Client().get(reverse("comments:export", args=[s.pk, fmt])).content
        assert body.startswith(magic) and SSN.encode() not in body
    with pytest.raises(ValidationError, match="after the close|follow the close"):
        comment_services.dispose(staff_actor, held, "noted", "Thanks.")


def test_the_moderation_queue_and_staff_export_are_read_in_a_fixed_number_of_queries(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_actor, _ = staff
    s = guidelines.open_comment(staff_actor, _draft(staff_actor)).solicitation

    def submit_pair(n: int) -> tuple[Comment, Comment]:
        held = public.submit(s, text=f"Comment {n}: my SSN is {SSN}; audits matter.", address=f"192.0.2.{2 * n}")
        clean = public.submit(s, text=f"Comment {n}: publish the audit results.", address=f"192.0.2.{2 * n + 1}")
        return held, clean

    held, clean = submit_pair(1)
    with CaptureQueriesContext(connection) as few:
        rows = public.moderation_rows(s)
    by_pk = {r["c"].pk: r for r in rows}
    assert by_pk[held.pk]["preview"] == public.preview(held) and SSN not in by_pk[held.pk]["preview"]
    assert by_pk[held.pk]["findings"] and by_pk[clean.pk]["findings"] == []
    assert by_pk[clean.pk]["preview"] == clean.text
    with CaptureQueriesContext(connection) as few_export:
        _, exported = public.export_rows(s, staff=True)
    assert not any(SSN in str(cell) for row in exported for cell in row)
    for n in range(2, 7):
        submit_pair(n)
    with CaptureQueriesContext(connection) as many:
        assert len(public.moderation_rows(s)) == 12
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as many_export:
        _, exported = public.export_rows(s, staff=True)
    assert len(exported) == 12 and not any(SSN in str(cell) for row in exported for cell in row)
    assert len(many_export) == len(few_export)


def test_the_document_pages_per_role(staff, director):
    staff_actor, staff_client = staff
    version = _draft(staff_actor)
    url = reverse("governance:guideline", args=[version.number])
    assert Client().get(url).status_code == 404  # a draft not yet opened is the panel's
    assert staff_client.get(url).status_code == 200
    # the secretariat edits the text and records a consultation on the page; bad input is answered 422
    bad = staff_client.post(url, {"action": "revise", "edit-summary": "S", "edit-sections": "no heading"})
    assert bad.status_code == 422 and b"Start each section" in bad.content
    good = staff_client.post(url, {"action": "revise", "edit-summary": "Revised.", "edit-sections": TEXT + "\n\n## Added\nMore."})
    assert good.status_code == 302
    version.refresh_from_db()
    assert version.summary == "Revised." and version.sections[-1]["heading"] == "Added"
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    bad = staff_client.post(
        url, {"action": "consult", "consult-entity": "5g12", "consult-held_on": future, "consult-summary": "MS-ISAC reviewed it."}
    )
    assert bad.status_code == 422 and b"after it is held" in bad.content
    ok = staff_client.post(
        url,
        {
            "action": "consult",
            "consult-entity": "5g12",
            "consult-held_on": timezone.localdate().isoformat(),
            "consult-summary": "MS-ISAC reviewed it.",
        },
    )
    assert ok.status_code == 302 and version.consultations.count() == 1
    _, state_client = _actor("chief_state_election_official")
    assert state_client.post(url, {"action": "open-comment"}).status_code == 404  # the draft is not theirs to see
    _, director_client = director
    assert director_client.post(url, {"action": "open-comment"}).status_code == 404
    assert staff_client.post(url, {"action": "open-comment"}).status_code == 302
    version.refresh_from_db()
    assert version.status == "comment"
    assert Client().get(url).status_code == 200
    assert state_client.post(url, {"action": "close-comment"}).status_code == 403
    assert director_client.post(url, {"action": "close-comment"}).status_code == 403
    assert Client().post(url, {"action": "publish"}).status_code == 403
    version.refresh_from_db()
    assert version.status == "comment"
