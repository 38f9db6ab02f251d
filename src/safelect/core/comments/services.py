"""Comment writes: opening a solicitation, an organization's comment, reminders, dispositions. Each
checks permission and scope itself and journals the write in its transaction.

* A solicitation asks every organization of its audience kinds (e.g. every State election office);
  its closing moment is given by the asking app — from its clock in the obligations registry.
* An organization comments once; its members may revise the comment until the close. After the
  close nothing is received.
* Reminders go to the organizations that have not commented, at most once a day per solicitation
  (the outbox's de-duplication key).
* Each comment gets a disposition with a note, by the asking side.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.outbox.models import Notice
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered

from .models import Comment, Solicitation
from .permissions import MANAGE, SUBMIT, VIEW

MAX_COMMENT = 20_000
OFFICIAL_ROLES = ("chief_state_election_official", "state_election_staff", "local_election_official")


def audience(solicitation: Solicitation):
    return Organization.objects.filter(kind__in=solicitation.audience_kinds).select_related("state").order_by("name")


def in_audience(actor: Actor, solicitation: Solicitation) -> bool:
    org = actor.organization
    return org is not None and org.kind in solicitation.audience_kinds


def visible(actor: Actor):
    """Solicitations the actor may read: the asking side every one; an organization those it is asked
    in (public solicitations have their own public pages, in the program that opened them)."""
    if actor.may(MANAGE):
        return Solicitation.objects.all()
    if not actor.may(VIEW) or actor.organization is None:
        return Solicitation.objects.none()
    return Solicitation.objects.filter(is_public=False, audience_kinds__contains=[actor.organization.kind])


def _context(solicitation: Solicitation, organization_ids: list[int]) -> dict:
    return {
        "title": solicitation.title,
        "body": solicitation.body,
        "asker": solicitation.organization.name,
        "closes_text": f"{timezone.localtime(solicitation.closes_at):%B %-d, %Y}",
        "organization_ids": organization_ids,
        "roles": list(OFFICIAL_ROLES),
        "path": reverse("comments:solicitation", args=[solicitation.pk]),
    }


@transaction.atomic
def open_solicitation(
    actor: Actor,
    *,
    title: str,
    body: str,
    audience_kinds: list[str],
    closes_at: dt.datetime,
    origin: str,
    subject=None,
    public: bool = False,
) -> Solicitation:
    """Open a solicitation. ``public=True`` takes comments from anyone without an account (see
    :mod:`.public`); its audience kinds may then be empty (organizations of those kinds are still told)."""
    actor.require(MANAGE)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 300 or not body:
        raise ValidationError("A solicitation needs a title (at most 300 characters) and what it asks.")
    kinds = [k for k in audience_kinds if k in Organization.Kind.values]
    if (not kinds and not public) or len(kinds) != len(audience_kinds):
        raise ValidationError("Name the kinds of organizations asked.")
    now = timezone.now()
    if closes_at <= now:
        raise ValidationError("The closing moment must be in the future.")
    found = create_numbered(
        Solicitation,
        "CMT",
        now.year,
        title=title,
        body=body,
        origin=origin,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        organization=actor.organization,
        audience_kinds=kinds,
        is_public=public,
        opens_at=now,
        closes_at=closes_at,
        created_by=actor.user,
    )
    if kinds:
        send(
            "comments.solicitation",
            context=_context(found, list(audience(found).values_list("pk", flat=True))),
            actor=actor.user,
            organization=actor.organization,
            subject_object=found,
        )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="comments:solicitation:open",
        obj=found,
        summary={"audience": kinds, "public": public, "closes_at": closes_at.isoformat(), "organizations": audience(found).count()},
    )
    return found


@transaction.atomic
def submit_comment(actor: Actor, solicitation: Solicitation, text: str) -> Comment:
    """The actor's organization's comment (a revision replaces the text until the close)."""
    actor.require(SUBMIT)
    solicitation = Solicitation.objects.select_for_update().get(pk=solicitation.pk)
    if not in_audience(actor, solicitation):
        raise PermissionDenied("your organization is not asked for comments on this")
    if not solicitation.is_open:
        raise ValidationError(f"Comments closed on {timezone.localtime(solicitation.closes_at):%B %-d, %Y}.")
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": "Write the comment (at least a sentence)."})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": f"At most {MAX_COMMENT:,} characters."})
    now = timezone.now()
    found = Comment.objects.filter(solicitation=solicitation, organization=actor.organization).first()
    if found is None:
        found = Comment.objects.create(
            solicitation=solicitation, organization=actor.organization, author=actor.user, text=text, submitted_at=now, updated_at=now
        )
        action = "comments:comment:submit"
    else:
        found.text, found.author, found.updated_at = text, actor.user, now
        found.save(update_fields=["text", "author", "updated_at"])
        action = "comments:comment:revise"
    record(actor=actor.user, organization=actor.organization, action=action, obj=solicitation, summary={"characters": len(text)})
    return found


def responses(solicitation: Solicitation) -> list[dict]:
    """Every organization asked, with its comment or None."""
    comments = {c.organization_id: c for c in solicitation.comments.select_related("author", "disposed_by")}
    return [{"organization": org, "comment": comments.get(org.pk)} for org in audience(solicitation)]


@transaction.atomic
def remind(actor: Actor, solicitation: Solicitation) -> int:
    """Remind the organizations that have not commented (once a day); returns how many."""
    actor.require(MANAGE)
    solicitation = Solicitation.objects.select_for_update().get(pk=solicitation.pk)
    if not solicitation.is_open:
        raise ValidationError("Comments are closed: no reminder.")
    silent = [row["organization"].pk for row in responses(solicitation) if row["comment"] is None]
    if not silent:
        return 0
    key = f"comments.reminder:{solicitation.pk}:{timezone.localdate().isoformat()}"
    if Notice.objects.filter(dedupe_key=key).exists():
        raise ValidationError("A reminder was already sent today.")
    send(
        "comments.reminder",
        context=_context(solicitation, silent),
        actor=actor.user,
        organization=actor.organization,
        subject_object=solicitation,
        dedupe_key=key,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="comments:solicitation:remind",
        obj=solicitation,
        summary={"organizations": len(silent)},
    )
    return len(silent)


@transaction.atomic
def dispose(actor: Actor, comment: Comment, disposition: str, note: str) -> Comment:
    """Record what was done with a comment (after the comment period closed)."""
    actor.require(MANAGE)
    comment = Comment.objects.select_for_update().select_related("solicitation").get(pk=comment.pk)
    if comment.solicitation.is_open:
        raise ValidationError("Dispositions follow the close of the comment period.")
    if comment.organization_id is None and comment.status != Comment.Status.PUBLISHED:
        raise ValidationError("Only a published public comment takes a disposition (moderate it first).")
    if disposition not in Comment.Disposition.values:
        raise ValidationError({"disposition": "Choose what was done with the comment."})
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": "Say why, in a sentence."})
    comment.disposition, comment.disposition_note, comment.disposed_at, comment.disposed_by = (
        disposition,
        note[:4000],
        timezone.now(),
        actor.user,
    )
    comment.save(update_fields=["disposition", "disposition_note", "disposed_at", "disposed_by"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="comments:comment:dispose",
        obj=comment.solicitation,
        summary={"organization": comment.organization.name if comment.organization_id else "public", "disposition": disposition},
    )
    return comment


def undisposed(solicitation: Solicitation) -> int:
    return solicitation.comments.filter(disposition="").count()
