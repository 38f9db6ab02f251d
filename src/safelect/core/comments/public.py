"""Public comments: anyone may comment on a public solicitation, without an account (S.2261 §5(f):
"a reasonable opportunity for public comment").

* A comment is received with an optional name and email. Nothing is published on receipt: every
  comment waits in the moderation queue.
* On receipt its text is scanned for personal information by the kernel's one scanner
  (:mod:`safelect.core.personal`). A comment with findings is *held*: it can only be published with
  every finding removed (the published text is the minimised text; a member of the public's comment
  never keeps a voter's Social Security number, whoever decides).
* Abuse controls: a honeypot field (checked by the page), at most :data:`PER_SENDER_PER_HOUR`
  comments an hour from one address (kept as an HMAC, never the address), at most
  :data:`PER_SOLICITATION_PER_HOUR` an hour on one solicitation, a size limit, and moderation.
* An email given is confirmed by a signed link sent by a background job deferred in the same
  transaction; the email is never published, and the name is shown as "confirmed" only after.
* Moderators (the asking side) publish or reject with a note; after the close the asking side records
  a disposition for each published comment, as for organizations' comments (:func:`services.dispose`).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from safelect.core import confirmations
from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.core.personal import services as personal

from .models import Comment, Solicitation
from .permissions import MANAGE

MAX_COMMENT = 20_000
PER_SENDER_PER_HOUR = 5
PER_SOLICITATION_PER_HOUR = 200
CONFIRM_PURPOSE = "comment"


class TooMany(Exception):
    """The rate limit refused the comment; nothing was stored."""


def client_key(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"comments:{address}".encode(), hashlib.sha256).hexdigest()


def source_of(comment: Comment) -> personal.Source:
    return personal.Source(key="comment:text", label="Comment", text=comment.text)


def public_solicitations():
    return Solicitation.objects.filter(is_public=True)


@transaction.atomic
def submit(solicitation: Solicitation, *, text: str, name: str = "", email: str = "", address: str = "") -> Comment:
    """Receive a member of the public's comment (no account). Raises ValidationError (nothing stored)
    for a closed period or bad fields, :class:`TooMany` past a rate limit."""
    solicitation = Solicitation.objects.select_for_update().get(pk=solicitation.pk)
    if not solicitation.is_public:
        raise PermissionDenied("this solicitation does not take public comments")
    if not solicitation.is_open:
        raise ValidationError(f"The comment period closed on {timezone.localtime(solicitation.closes_at):%B %-d, %Y}.")
    errors = {}
    text, name, email = (text or "").strip(), (name or "").strip(), (email or "").strip()
    if len(text) < 10:
        errors["text"] = "Write the comment (at least a sentence)."
    elif len(text) > MAX_COMMENT:
        errors["text"] = f"At most {MAX_COMMENT:,} characters (this one has {len(text):,})."
    if len(name) > 120:
        errors["name"] = "At most 120 characters."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address such as name@example.org, or leave it empty."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    hour_ago = now - timezone.timedelta(hours=1)
    key = client_key(address or "unknown")
    recent = Comment.objects.filter(solicitation__is_public=True, submitted_at__gte=hour_ago)
    if recent.filter(client_key=key).count() >= PER_SENDER_PER_HOUR:
        raise TooMany(f"At most {PER_SENDER_PER_HOUR} comments an hour from one connection: please try again later.")
    if recent.filter(solicitation=solicitation).count() >= PER_SOLICITATION_PER_HOUR:
        raise TooMany("Too many comments arrived in the last hour: please try again later.")
    comment = Comment.objects.create(
        solicitation=solicitation,
        text=text,
        name=name,
        email=email,
        client_key=key,
        submitted_at=now,
        updated_at=now,
        status=Comment.Status.AWAITING,
    )
    system = Actor.system()
    if personal.scan_sources(system, comment, [source_of(comment)]):
        comment.status = Comment.Status.HELD
        comment.save(update_fields=["status"])
    if email:
        from .tasks import send_confirmation

        send_confirmation.defer(comment_id=comment.pk)
    record(
        actor=None,
        organization=solicitation.organization,
        action="comments:public:submit",
        obj=solicitation,
        summary={"comment": comment.pk, "characters": len(text), "held": comment.status == Comment.Status.HELD, "email": bool(email)},
    )
    return comment


def confirmation_token(comment: Comment) -> str:
    return confirmations.token(CONFIRM_PURPOSE, comment.pk, comment.email)


@transaction.atomic
def confirm_email(token: str) -> Comment:
    """Follow a confirmation link; raises ValidationError for a wrong or expired link."""
    pk, email = confirmations.read(CONFIRM_PURPOSE, token)
    comment = Comment.objects.select_for_update().filter(pk=pk, organization=None).order_by().first()
    if comment is None or comment.email.strip().lower() != email:
        raise ValidationError("This confirmation link is not valid.")
    if comment.email_confirmed_at is None:
        comment.email_confirmed_at = timezone.now()
        comment.save(update_fields=["email_confirmed_at"])
        record(
            actor=None,
            organization=comment.solicitation.organization,
            action="comments:public:confirm",
            obj=comment.solicitation,
            summary={"comment": comment.pk},
        )
    return comment


def queue(solicitation: Solicitation):
    """The public comments of a solicitation, held ones first, then awaiting, then decided."""
    order = {Comment.Status.HELD: 0, Comment.Status.AWAITING: 1, Comment.Status.PUBLISHED: 2, Comment.Status.REJECTED: 3}
    found = list(solicitation.comments.filter(organization=None).select_related("moderated_by", "disposed_by"))
    return sorted(found, key=lambda c: (order.get(c.status, 9), c.submitted_at))


def preview(comment: Comment, *, findings: list | None = None) -> str:
    """The text as it would be published: every personal-information finding removed (``findings``:
    the comment's findings when the caller read them for many comments at once)."""
    return personal.minimised(comment, source_of(comment), findings=findings)


def findings(comment: Comment):
    return personal.findings_of(comment).order_by("start")


def moderation_rows(solicitation: Solicitation) -> list[dict]:
    """The queue with each comment's findings and the text as it would be published, in two queries
    however long the queue is."""
    comments = list(queue(solicitation))
    found = personal.findings_by_subject(comments)
    rows = []
    for comment in comments:
        own = found.get(str(comment.pk), [])
        rows.append({"c": comment, "findings": own, "preview": preview(comment, findings=own)})
    return rows


@transaction.atomic
def moderate(actor: Actor, comment: Comment, decision: str, note: str = "") -> Comment:
    """Publish (personal information removed) or reject a public comment, with a note for rejections."""
    actor.require(MANAGE)
    comment = Comment.objects.select_for_update().select_related("solicitation").get(pk=comment.pk)
    if comment.organization_id is not None:
        raise ValidationError("Organizations' comments are not moderated.")
    note = (note or "").strip()
    if decision == "publish":
        if comment.status == Comment.Status.PUBLISHED:
            raise ValidationError("This comment is already published.")
        vouched = actor.vouched()
        personal.scan_sources(vouched, comment, [source_of(comment)], organization=actor.organization)
        found = list(findings(comment))
        if found:  # a public comment never keeps personal information: every finding is redacted
            personal.decide(vouched, comment, {f.pk: ("redact", "") for f in found}, organization=actor.organization)
        comment.published_text = preview(comment)
        comment.status = Comment.Status.PUBLISHED
    elif decision == "reject":
        if len(note) < 3:
            raise ValidationError({"note": "Say why the comment is not published (spam, abuse, off topic…)."})
        comment.status, comment.published_text = Comment.Status.REJECTED, ""
    else:
        raise ValidationError("Choose publish or reject.")
    comment.moderated_at, comment.moderated_by, comment.moderation_note = timezone.now(), actor.user, note[:500]
    comment.save(update_fields=["status", "published_text", "moderated_at", "moderated_by", "moderation_note"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action=f"comments:public:{decision}",
        obj=comment.solicitation,
        summary={"comment": comment.pk, "personal_removed": comment.published_text != comment.text if decision == "publish" else None},
    )
    return comment


def published(solicitation: Solicitation):
    return solicitation.comments.filter(organization=None, status=Comment.Status.PUBLISHED).order_by("submitted_at")


def export_rows(solicitation: Solicitation, *, staff: bool) -> tuple[list[str], list[list]]:
    """Every comment of a solicitation as rows: the public export carries published texts only; the
    asking side's carries every comment's status (never an email address, never an unpublished text
    that was held for personal information)."""
    head = ["Number", "Received (UTC)", "From", "Email confirmed", "Status", "Comment", "Disposition", "Disposition note"]
    rows = []
    comments = solicitation.comments.select_related("organization").order_by("submitted_at")
    if not staff:
        comments = comments.filter(status=Comment.Status.PUBLISHED)
    comments = list(comments)
    found = personal.findings_by_subject(comments) if staff else {}
    for c in comments:
        if c.organization_id:
            who, text = c.organization.name, c.text
        else:
            who = c.name or "Anonymous"
            text = (
                c.published_text
                if c.status == Comment.Status.PUBLISHED
                else preview(c, findings=found.get(str(c.pk), []))
                if staff and c.status != Comment.Status.REJECTED
                else ""
            )
        rows.append(
            [
                c.pk,
                f"{c.submitted_at:%Y-%m-%d %H:%M}",
                who,
                "yes" if c.email_confirmed_at else ("" if c.organization_id or not c.email else "no"),
                c.get_status_display(),
                text,
                c.get_disposition_display() if c.disposition else "",
                c.disposition_note,
            ]
        )
    return head, rows
