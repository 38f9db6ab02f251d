"""Sending notices. Call :func:`send` inside your service's transaction.

``send`` renders the kind's templates once, resolves the recipients in the database, writes the
:class:`~.models.Notice` and one :class:`~.models.Delivery` per (recipient, channel) with one
``INSERT … SELECT`` per channel, and defers the delivery jobs through procrastinate's Django
connector — all in the caller's transaction, so a rolled-back write sends nothing and a committed
one is delivered even if the process dies right after.

Declaring kinds (``<app>/notices.py``)::

    from safelect.core.outbox.services import NoticeKind, members_of

    KINDS = [NoticeKind(code="sharing.incident_reported", title="Incident reported",
                        recipients=lambda ctx: members_of(ctx["organization_id"], roles=["chief_state_election_official"]),
                        email_subject="Incident {{ reference }} reported", email_body="sharing/email/incident.txt",
                        inbox_title="Incident {{ reference }} reported", email_opt_out_allowed=False)]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from typing import Any

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from . import registry
from .models import Delivery, EmailPreference, InboxItem, Notice, WebhookEndpoint
from .recipients import (  # noqa: F401  (re-exported: apps declare kinds with these)
    Recipients,
    members_of,
    national_office,
    nobody,
    organizations_of_kind,
    state_officials,
    users,
)
from .registry import NoticeKind, register  # noqa: F401  (re-exported)

# How many deliveries one job should handle before another job is deferred to share the work.
DELIVERIES_PER_JOB = 250
MAX_JOBS_PER_CHANNEL = 8


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value or {}, default=str))


def _user_of(actor):
    """The person recorded on a notice: an :class:`Actor`'s user (a bare user is accepted from
    the accounts signals, which carry the person only)."""
    user = actor.user if isinstance(actor, Actor) else actor
    return user if getattr(user, "pk", None) else None


def send(
    kind_code: str,
    *,
    context: dict,
    actor=None,
    organization=None,
    subject_object=None,
    dedupe_key: str | None = None,
    addresses: tuple[str, ...] | list[str] = (),
    secret_context: dict | None = None,
) -> Notice:
    """Write a notice of kind ``kind_code`` and its deliveries to the outbox; defer the delivery jobs.

    Must run inside the caller's ``transaction.atomic()``. ``context`` (JSON-serialisable) feeds the
    recipients rule and the templates. ``dedupe_key``: sending the same key again returns the
    notice sent first (reminder sweeps rely on it). The returned notice carries
    ``delivery_counts`` ({channel: number of deliveries}; empty for an existing notice).
    ``addresses``: email addresses that have no account yet (an invitation), delivered by email as
    well. ``secret_context``: values only the rendered email may contain (a private kind's link);
    they are not stored in the notice's context.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.send must be called inside the service's transaction.atomic()")
    kind = registry.get(kind_code)
    context = _jsonable(context)
    if dedupe_key:
        existing = Notice.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            existing.delivery_counts = {}
            return existing
    if secret_context and not kind.private:
        raise ValueError(f"notice kind {kind.code} is not private: it cannot carry secret_context")
    rendered = kind.render(context, secret_context)
    subject_type = subject_object._meta.label_lower if subject_object is not None else ""
    subject_id = str(subject_object.pk) if subject_object is not None else ""
    try:
        with transaction.atomic():  # a concurrent sender of the same key wins; we return its notice
            notice = Notice.objects.create(
                kind=kind.code,
                context=context,
                actor=_user_of(actor),
                organization=organization,
                subject_type=subject_type,
                subject_id=subject_id,
                dedupe_key=dedupe_key or None,
                **rendered,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        existing = Notice.objects.get(dedupe_key=dedupe_key)
        existing.delivery_counts = {}
        return existing
    counts = _write_deliveries(notice, kind, kind.recipients(context))
    if addresses:
        now = timezone.now()
        created = Delivery.objects.bulk_create(
            [
                Delivery(
                    notice=notice,
                    channel=Delivery.Channel.EMAIL,
                    address=address,
                    status=Delivery.Status.PENDING,
                    next_attempt_at=now,
                    created_at=now,
                )
                for address in dict.fromkeys(addresses)
                if address
            ]
        )
        if created:
            counts["email"] = counts.get("email", 0) + len(created)
    notice.delivery_counts = counts
    record(
        actor=actor if getattr(actor, "pk", None) else None,
        organization=organization,
        action="outbox:notice:send",
        obj=notice,
        summary={"kind": kind.code, "deliveries": counts, "dedupe_key": dedupe_key},
    )
    _defer_jobs(notice.pk, counts)
    return notice


_INSERT = (
    "INSERT INTO outbox_delivery (notice_id, channel, user_id, endpoint_id, address, status, attempts,"
    " next_attempt_at, last_error, sent_at, created_at) "
)


def _write_deliveries(notice: Notice, kind: NoticeKind, recipients: Recipients) -> dict[str, int]:
    now = timezone.now()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        try:
            users_sql, users_params = recipients.users.order_by().values("pk", "email").query.sql_with_params()
        except EmptyResultSet:
            users_sql = None
        if users_sql is not None:
            for channel in kind.channels:
                sql = (
                    _INSERT
                    + f"SELECT %s, %s, r.id, NULL, {'r.email' if channel == 'email' else chr(39) * 2}, 'pending', 0, %s, '', NULL, %s FROM ({users_sql}) AS r(id, email)"
                )
                params = [notice.pk, channel, now, now, *users_params]
                if channel == Delivery.Channel.EMAIL:
                    sql += " WHERE r.email <> ''"
                    if kind.email_opt_out_allowed:
                        sql += (
                            " AND NOT EXISTS (SELECT 1 FROM outbox_emailpreference p"
                            " WHERE p.user_id = r.id AND p.kind = %s AND NOT p.email_enabled)"
                        )
                        params.append(kind.code)
                cursor.execute(sql + " ON CONFLICT DO NOTHING", params)
                counts[channel] = cursor.rowcount
        if kind.webhook:
            try:
                orgs_sql, orgs_params = recipients.organizations.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:
                orgs_sql = None
            if orgs_sql is not None:
                cursor.execute(
                    _INSERT + "SELECT %s, 'webhook', NULL, e.id, e.url, 'pending', 0, %s, '', NULL, %s FROM outbox_webhookendpoint e"
                    f" WHERE e.is_active AND e.organization_id IN ({orgs_sql}) ON CONFLICT DO NOTHING",
                    [notice.pk, now, now, *orgs_params],
                )
                counts["webhook"] = cursor.rowcount
    return {channel: n for channel, n in counts.items() if n}


def _defer_jobs(notice_id: int, counts: dict[str, int]) -> None:
    from .tasks import deliver

    for channel, n in counts.items():
        jobs = min(MAX_JOBS_PER_CHANNEL, max(1, math.ceil(n / DELIVERIES_PER_JOB)))
        deliver.batch_defer(*({"notice_id": notice_id, "channel": channel} for _ in range(jobs)))


# --- the inbox -------------------------------------------------------------------------------------


def inbox_of(user):
    """The user's own inbox items, newest first (a person sees only their own)."""
    return InboxItem.objects.filter(user=user).select_related("notice")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(actor: Actor, item_ids=None) -> int:
    """Mark some (or all) of the actor's own unread items read; returns how many changed. Another
    person's items are never touched, whatever ids are given."""
    actor.require("outbox:inbox:view")
    if actor.user is None:
        return 0
    with transaction.atomic():
        items = InboxItem.objects.filter(user=actor.user, read_at__isnull=True)
        if item_ids is not None:
            items = items.filter(pk__in=list(item_ids))
        return items.update(read_at=timezone.now())


# --- email preferences ------------------------------------------------------------------------------


def email_preferences(user) -> list[tuple[NoticeKind, bool]]:
    """Every kind a person may turn off, with whether its email is on for them."""
    off = set(EmailPreference.objects.filter(user=user, email_enabled=False).values_list("kind", flat=True))
    return [(kind, kind.code not in off) for kind in registry.all_kinds() if kind.email_opt_out_allowed]


def set_email_preferences(actor: Actor, enabled: dict[str, bool]) -> dict[str, list[bool]]:
    """Turn emails of kinds on or off for the actor themself; kinds the law requires cannot be turned off."""
    actor.require("outbox:preference:edit")
    user = actor.user
    if user is None:
        raise PermissionDenied("email preferences belong to a person")
    changed = {}
    with transaction.atomic():
        for code, on in enabled.items():
            kind = registry.get(code)
            if not kind.email_opt_out_allowed and not on:
                raise PermissionDenied(f"{kind.title}: the law requires this notice to be emailed; it cannot be turned off")
            pref, _ = EmailPreference.objects.get_or_create(user=user, kind=code)
            if pref.email_enabled != bool(on):
                changed[code] = [pref.email_enabled, bool(on)]
                pref.email_enabled = bool(on)
                pref.save(update_fields=["email_enabled", "updated_at"])
        if changed:
            record(
                actor=user,
                action="outbox:preference:update",
                object_type="accounts.user",
                object_id=str(user.pk),
                object_label=str(user),
                summary=changed,
            )
    return changed


# --- webhooks -----------------------------------------------------------------------------------------


MANAGE_WEBHOOKS = "outbox:webhook:manage"


def _require_webhook_manager(actor: Actor, organization) -> None:
    """An organization's webhooks are managed by someone acting for it with the permission."""
    actor.require(MANAGE_WEBHOOKS)
    if not actor.acts_for(organization):
        raise PermissionDenied("you manage the webhooks of the organization you act for")


def register_webhook(actor: Actor, *, organization, url: str) -> tuple[WebhookEndpoint, str]:
    """Register ``url`` for ``organization``; returns the endpoint and its secret, shown only now.

    The URL must be an https address on the public internet (``webhooks.check_target``; a
    ``ValidationError`` on ``url`` says why not)."""
    from django.core.exceptions import ValidationError

    from .webhooks import WebhookTargetError, check_target

    _require_webhook_manager(actor, organization)
    try:
        check_target(url)
    except WebhookTargetError as exc:
        raise ValidationError({"url": str(exc)}) from None
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(organization=organization, url=url, secret=secret)
        record(actor=actor.user, organization=organization, action="outbox:webhook:create", obj=endpoint, summary={"url": url})
        send(
            "outbox.webhook_registered",
            context={"organization_id": organization.pk, "organization_name": organization.name, "url": url},
            actor=actor,
            organization=organization,
            subject_object=endpoint,
        )
    return endpoint, secret


def deactivate_webhook(actor: Actor, *, endpoint: WebhookEndpoint) -> None:
    _require_webhook_manager(actor, endpoint.organization)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
        record(
            actor=actor.user,
            organization=endpoint.organization,
            action="outbox:webhook:deactivate",
            obj=endpoint,
            summary={"is_active": [True, False]},
        )


def due_retry_at(attempts: int) -> dt.timedelta:
    """Exponential backoff after ``attempts`` failed attempts: base · 2^(attempts-1), capped at 6 h."""
    from django.conf import settings

    base = getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 30)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def purge_texts(subject_type: str, subject_id, purge) -> int:
    """Rewrite the stored texts of the notices about one subject with ``purge(text) -> text``
    (S.2261 §4(g) retention: the owning program purges personal information). The notice's
    context, its email and in-app texts and the inbox copies are rewritten; what was delivered by
    email is out of reach. Returns how many notices changed. Runs in the caller's transaction."""
    changed = 0
    for notice in Notice.objects.select_for_update().filter(subject_type=subject_type, subject_id=str(subject_id)):
        context = {k: purge(v) if isinstance(v, str) else v for k, v in notice.context.items()}
        texts = {f: purge(getattr(notice, f)) for f in ("email_subject", "email_body", "inbox_title", "inbox_body")}
        if context == notice.context and all(texts[f] == getattr(notice, f) for f in texts):
            continue
        notice.context = context
        for field, value in texts.items():
            setattr(notice, field, value)
        notice.save(update_fields=["context", *texts])
        for item in InboxItem.objects.filter(notice=notice):
            item.title, item.body = purge(item.title), purge(item.body)
            item.save(update_fields=["title", "body"])
        changed += 1
    return changed
