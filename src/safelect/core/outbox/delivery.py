"""Delivering notices, exactly once even when a worker dies mid-delivery.

How a delivery is claimed and recorded
--------------------------------------
A job opens a transaction and claims a batch of due ``pending`` deliveries with
``SELECT … FOR NO KEY UPDATE SKIP LOCKED``. The claim *is* the row lock: other workers skip the
rows, and if the worker dies its connection drops, PostgreSQL rolls the transaction back and the
rows are ``pending`` again — no lease to expire, no stuck ``sending`` state to guess about.
Results (``sent``, attempt count, next attempt, last error, log events) are written in that same
transaction, which commits after the batch.

In-app inbox items are written in the claiming transaction too, so they are exactly-once by
construction. Email is the hard part: SMTP has no idempotency and the server keeps a message the
moment it reads the final ``.`` of the DATA phase, whether or not we live to record it. So each
email is sent in two steps around a hand-off mark:

1. MAIL, RCPT, DATA and the whole message *except* the terminating ``.``;
2. a ``handed_off`` event for this attempt is committed on a *second* ordinary database connection
   (autocommit; ``FOR NO KEY UPDATE`` lets its foreign-key check pass the claim's row lock) — the
   same psycopg connection as any other, so it works with TLS and any server ``DATABASE_URL`` names;
3. the terminating ``.`` is written and the server's reply read.

The guarantee, stated exactly
-----------------------------
* **Never sent twice after a hand-off mark.** A later claimer that finds a ``handed_off`` event for
  the attempt it is about to make does not send again: it records ``presumed_sent``, with the
  message's ``Message-ID`` in the log. If the worker died before step 2 the server saw no
  terminator and discarded the message, so sending again is right.
* **A crash between steps 2 and 3 loses that one email** (it is still in the recipient's in-app
  inbox): it is logged as "presumed sent" with its Message-ID. We chose this side — at most once
  for the ambiguous moment — over resending on doubt, which would duplicate every message that was
  in flight. Every message carries a ``Message-ID`` derived from the delivery, identical on every
  attempt, so receivers can also deduplicate.

The window between the commit of the mark and the ``.`` leaving is one database round trip plus a
thread switch (the worker's job threads share the GIL with procrastinate's event loop). Measured
with ``bench/outbox_kill_soak.py`` (SIGKILL at random moments while a worker delivers to a loopback
SMTP server, concurrency 4, 2-CPU machine): no duplicate in any run; losses — always logged as
``presumed_sent`` — on a fraction of the kills that land mid-stream; the README quotes the latest
run's figures. Kills at the two protocol points themselves are tested deterministically in
``test_outbox_worker_crash.py``. (An earlier version wrote the mark with hand-made protocol
messages on the raw socket to narrow the window; it broke every delivery on a PostgreSQL server
that speaks TLS, and was removed.)

Webhooks are at least once, posted outside any transaction (``_deliver_webhooks``) to targets
checked against server-side request forgery (``webhooks.py``): each POST carries ``X-Safelect-Delivery`` (stable across attempts)
for receivers to deduplicate, and ``X-Safelect-Signature: sha256=<HMAC(secret, "timestamp.body")>``.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import hmac
import json
import logging
import re
import smtplib
import socket
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import Delivery, DeliveryEvent, InboxItem, Notice

log = logging.getLogger(__name__)

BATCH_SIZE = 100


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)


def message_id(delivery_id: int, notice_id: int) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "safelect.invalid"
    return f"<notice-{notice_id}.delivery-{delivery_id}@{domain}>"


@dataclass
class Outcome:
    delivery: Delivery
    event: str  # DeliveryEvent.Event value
    detail: str = ""


@dataclass
class Stats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    presumed: int = 0
    batches: int = 0
    by_event: dict = field(default_factory=dict)


def deliver_notice(notice_id: int, channel: str, *, worker: str = "", batch_size: int = BATCH_SIZE, limit: int | None = None) -> Stats:
    """Deliver the due pending deliveries of one notice on one channel, batch after batch, until
    none is left that no other worker holds. Safe to run many times and in parallel."""
    notice = Notice.objects.get(pk=notice_id)
    if channel == Delivery.Channel.WEBHOOK:
        return _deliver_webhooks(notice, worker, batch_size, limit)
    private = _is_private(notice)
    stats = Stats()
    sender = _sender_for(channel, notice, worker)
    # Called inside someone else's transaction (a test, a shell), a second connection could not
    # see the uncommitted rows: hand-off marks then go through the claiming connection.
    sender.inline = connection.in_atomic_block
    try:
        while limit is None or stats.batches < limit:
            with transaction.atomic():
                batch = list(
                    Delivery.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
                    .filter(notice_id=notice_id, channel=channel, status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
                    .select_related("endpoint")
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    break
                outcomes = sender.deliver(batch)
                _record(outcomes, worker, stats)
                if private:
                    _erase_when_done(notice_id)
            stats.batches += 1
    finally:
        sender.close()
    return stats


#: How long a claimed webhook delivery is left alone while its POST is in flight outside any transaction.
WEBHOOK_LEASE = dt.timedelta(minutes=2)


def _deliver_webhooks(notice: Notice, worker: str, batch_size: int, limit: int | None) -> Stats:
    """Webhooks are posted outside any database transaction: a slow or hostile receiver must not
    hold row locks or a connection in a transaction. Each batch is leased (its next attempt moved
    past the POST's longest time) and committed, posted, then recorded in a second transaction. A
    worker that dies mid-batch leaves the lease to expire and the POST is retried (at least once;
    receivers deduplicate by ``X-Safelect-Delivery``)."""
    stats = Stats()
    sender = WebhookSender(notice)
    while limit is None or stats.batches < limit:
        with transaction.atomic():
            claimed = list(
                Delivery.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
                .filter(
                    notice_id=notice.pk,
                    channel=Delivery.Channel.WEBHOOK,
                    status=Delivery.Status.PENDING,
                    next_attempt_at__lte=timezone.now(),
                )
                .order_by("id")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not claimed:
                break
            Delivery.objects.filter(pk__in=claimed).update(next_attempt_at=timezone.now() + WEBHOOK_LEASE)
        batch = list(Delivery.objects.filter(pk__in=claimed).select_related("endpoint").order_by("id"))
        outcomes = sender.deliver(batch)
        with transaction.atomic():
            fresh = {d.pk: d for d in Delivery.objects.select_for_update(no_key=True, of=("self",)).filter(pk__in=claimed)}
            for outcome in outcomes:
                outcome.delivery = fresh[outcome.delivery.pk]
            _record(outcomes, worker, stats)
        stats.batches += 1
    return stats


ERASED_BODY = "[erased once delivered: this message carried a single-use link]"


def _is_private(notice: Notice) -> bool:
    from . import registry

    try:
        return registry.get(notice.kind).private
    except KeyError:
        return False


def _erase_when_done(notice_id: int) -> None:
    """A private notice's body (its single-use link) is kept only while a delivery may still send it."""
    if not Delivery.objects.filter(notice_id=notice_id, status=Delivery.Status.PENDING).exists():
        Notice.objects.filter(pk=notice_id).update(email_body=ERASED_BODY)


def _record(outcomes: list[Outcome], worker: str, stats: Stats) -> None:
    """Write each outcome to its delivery and the log, inside the claiming transaction."""
    from .services import due_retry_at

    now = timezone.now()
    events, sent_ids, changed = [], [], []
    for o in outcomes:
        d = o.delivery
        d.attempts += 1
        if o.event in (DeliveryEvent.Event.SENT, DeliveryEvent.Event.PRESUMED_SENT):
            sent_ids.append(d.pk)
            stats.sent += 1
            stats.presumed += o.event == DeliveryEvent.Event.PRESUMED_SENT
        else:
            final = o.event == DeliveryEvent.Event.FAILED or d.attempts >= max_attempts()
            o.event = DeliveryEvent.Event.FAILED if final else DeliveryEvent.Event.RETRY
            d.status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
            d.next_attempt_at = now + due_retry_at(d.attempts)
            d.last_error = o.detail[:2000]
            changed.append(d)
            stats.failed += final
            stats.retried += not final
        events.append(DeliveryEvent(delivery=d, at=now, event=o.event, detail=o.detail[:2000], worker=worker[:100], attempt=d.attempts))
        stats.by_event[o.event] = stats.by_event.get(o.event, 0) + 1
    if sent_ids:
        from django.db.models import F

        Delivery.objects.filter(pk__in=sent_ids).update(status=Delivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="")
    if changed:
        Delivery.objects.bulk_update(changed, ["status", "attempts", "next_attempt_at", "last_error"])
    DeliveryEvent.objects.bulk_create(events)


def _sender_for(channel: str, notice: Notice, worker: str):
    if channel == Delivery.Channel.INBOX:
        return InboxSender(notice)
    if channel == Delivery.Channel.WEBHOOK:
        return WebhookSender(notice)
    if channel == Delivery.Channel.EMAIL:
        if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
            return SmtpSender(notice, worker)
        return DjangoMailSender(notice)
    raise ValueError(f"unknown channel {channel!r}")


# --- inbox --------------------------------------------------------------------------------------------


class InboxSender:
    def __init__(self, notice: Notice):
        self.notice = notice

    def deliver(self, batch: list[Delivery]) -> list[Outcome]:
        now = timezone.now()
        InboxItem.objects.bulk_create(
            [
                InboxItem(
                    user_id=d.user_id,
                    notice=self.notice,
                    delivery=d,
                    title=self.notice.inbox_title or self.notice.email_subject,
                    body=self.notice.inbox_body,
                    created_at=now,
                )
                for d in batch
            ],
            ignore_conflicts=True,  # unique per delivery: a second run adds nothing
        )
        return [Outcome(d, DeliveryEvent.Event.SENT) for d in batch]

    def close(self) -> None:
        pass


# --- email ---------------------------------------------------------------------------------------------


def build_email(notice: Notice, delivery: Delivery) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = notice.email_subject
    msg["From"] = settings.DEFAULT_FROM_EMAIL
    msg["To"] = delivery.address
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id(delivery.pk, notice.pk)
    msg["X-Safelect-Notice"] = notice.kind
    msg.set_content(notice.email_body or notice.inbox_body or notice.email_subject)
    return msg


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class SmtpSender:
    """One SMTP connection per job, reused across batches; the two-step DATA described above."""

    def __init__(self, notice: Notice, worker: str):
        self.notice = notice
        self.worker = worker
        self.smtp: smtplib.SMTP | None = None
        self.side = None  # autocommit connection for hand-off marks
        self.inline = False
        self.sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@safelect.invalid"

    def _connect(self) -> smtplib.SMTP:
        if self.smtp is None:
            smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=getattr(settings, "EMAIL_TIMEOUT", 10))
            # The message and its final "." go out as two writes with a database round trip between;
            # without TCP_NODELAY, Nagle's algorithm holds the "." for the server's delayed ACK.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo_or_helo_if_needed()
            if settings.EMAIL_USE_TLS:
                smtp.starttls()
                smtp.ehlo()
            if settings.EMAIL_HOST_USER:
                smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            self.smtp = smtp
        return self.smtp

    def _side(self):
        if self.inline:
            return _CursorAdapter()
        if self.side is None:
            self.side = connection.get_new_connection(connection.get_connection_params())
            self.side.autocommit = True
            # The mark must reach the server before the "." leaves; it need not wait for the disk:
            # a *worker* crash cannot lose it, and the batch's own commit flushes it with the WAL.
            # Only a database-server crash mid-batch could lose marks (and the uncommitted claim
            # with them), making those messages go out again. That trade buys ~7 ms per email.
            self.side.execute("SET synchronous_commit = off")
        return self.side

    def _handed_off(self, batch: list[Delivery]) -> set[int]:
        """Deliveries whose current attempt was handed to the SMTP server by a worker that died."""
        rows = DeliveryEvent.objects.filter(delivery__in=batch, event=DeliveryEvent.Event.HANDED_OFF).values_list("delivery_id", "attempt")
        current = {d.pk: d.attempts + 1 for d in batch}
        return {delivery_id for delivery_id, attempt in rows if current.get(delivery_id) == attempt}

    def deliver(self, batch: list[Delivery]) -> list[Outcome]:
        presumed = self._handed_off(batch)
        outcomes = []
        for d in batch:
            if d.pk in presumed:
                outcomes.append(
                    Outcome(
                        d,
                        DeliveryEvent.Event.PRESUMED_SENT,
                        f"a worker stopped after handing {message_id(d.pk, self.notice.pk)} to the SMTP "
                        "server; not sent again (receivers can deduplicate by Message-ID)",
                    )
                )
                continue
            outcomes.append(self._send_one(d))
        return outcomes

    def _send_one(self, d: Delivery) -> Outcome:
        data = _dot_stuffed(build_email(self.notice, d).as_bytes())
        handed_off = False
        try:
            smtp = self._connect()
            code, resp = smtp.mail(self.sender)
            if code != 250:
                return self._refused(d, code, resp, "MAIL FROM")
            code, resp = smtp.rcpt(d.address)
            if code not in (250, 251):
                return self._refused(d, code, resp, "RCPT TO")
            code, resp = smtp.docmd("DATA")
            if code != 354:
                return self._refused(d, code, resp, "DATA")
            smtp.send(data)
            try:
                self._side().execute(MARK_SQL, [d.pk, timezone.now(), self.worker[:100], d.attempts + 1])
            except (psycopg.Error, DatabaseError) as exc:
                # No mark, no terminator: the SMTP server discards the unfinished message on close.
                self._drop()
                self._drop_side()
                return Outcome(d, DeliveryEvent.Event.RETRY, f"the hand-off mark could not be written ({exc}); not sent")
            handed_off = True
            smtp.send(b".\r\n")
            code, resp = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            if handed_off:
                # We may have been cut off after the server took the message: do not risk a duplicate.
                return Outcome(
                    d, DeliveryEvent.Event.PRESUMED_SENT, f"connection lost after handing off {message_id(d.pk, self.notice.pk)}: {exc}"
                )
            return Outcome(d, DeliveryEvent.Event.RETRY, f"{type(exc).__name__}: {exc}")
        if code == 250:
            return Outcome(d, DeliveryEvent.Event.SENT, resp.decode(errors="replace")[:200])
        return self._refused(d, code, resp, "end of DATA")

    def _drop_side(self) -> None:
        if self.side is not None:
            try:
                self.side.close()
            finally:
                self.side = None

    def _refused(self, d: Delivery, code: int, resp: bytes, step: str) -> Outcome:
        """The server said no: 5xx is final, anything else is retried later."""
        text = f"{step}: {code} {resp.decode(errors='replace')}"
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        return Outcome(d, DeliveryEvent.Event.FAILED if 500 <= code < 600 else DeliveryEvent.Event.RETRY, text)

    def _drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None
        self._drop_side()


MARK_SQL = "INSERT INTO outbox_deliveryevent (delivery_id, at, event, detail, worker, attempt) VALUES (%s, %s, 'handed_off', '', %s, %s)"


class _CursorAdapter:
    """``execute`` on Django's own connection (inline delivery, see ``deliver_notice``)."""

    def execute(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class DjangoMailSender:
    """Any other Django email backend (``SAFELECT_EMAIL_BACKEND=console`` prints the messages)."""

    def __init__(self, notice: Notice):
        from django.core.mail import get_connection

        self.notice = notice
        self.conn = get_connection()

    def deliver(self, batch: list[Delivery]) -> list[Outcome]:
        from django.core.mail import EmailMessage as DjangoEmail

        messages = [
            DjangoEmail(
                self.notice.email_subject,
                self.notice.email_body,
                settings.DEFAULT_FROM_EMAIL,
                [d.address],
                headers={"Message-ID": message_id(d.pk, self.notice.pk)},
                connection=self.conn,
            )
            for d in batch
        ]
        self.conn.send_messages(messages)
        return [Outcome(d, DeliveryEvent.Event.SENT) for d in batch]

    def close(self) -> None:
        pass


# --- webhooks ------------------------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, ``timestamp + "." + body``)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_body(notice: Notice, delivery: Delivery) -> bytes:
    payload = {
        "delivery": delivery.pk,
        "notice": notice.pk,
        "kind": notice.kind,
        "created_at": notice.created_at.isoformat(),
        "subject": notice.email_subject,
        "title": notice.inbox_title,
        "body": notice.inbox_body or notice.email_body,
        "object": {"type": notice.subject_type, "id": notice.subject_id} if notice.subject_type else None,
        "context": notice.context,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


class WebhookSender:
    def __init__(self, notice: Notice):
        self.notice = notice

    def deliver(self, batch: list[Delivery]) -> list[Outcome]:
        return [self._post(d) for d in batch]

    def _post(self, d: Delivery) -> Outcome:
        from .webhooks import WebhookTargetError, post

        endpoint = d.endpoint
        if endpoint is None or not endpoint.is_active:
            return Outcome(d, DeliveryEvent.Event.FAILED, "the endpoint was removed or deactivated")
        secret = endpoint.secret
        if not secret:  # never sign with an empty key: anyone could forge such a signature
            return Outcome(
                d,
                DeliveryEvent.Event.FAILED,
                "the signing secret cannot be read (SAFELECT_SECRET_KEY changed "
                "without SAFELECT_SECRET_KEY_FALLBACKS): register the webhook again",
            )
        body = webhook_body(self.notice, d)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "safelect-webhook/1",
            "X-Safelect-Timestamp": timestamp,
            "X-Safelect-Signature": signature(secret, timestamp, body),
            "X-Safelect-Delivery": str(d.pk),
            "X-Safelect-Notice-Kind": self.notice.kind,
        }
        try:
            status = post(endpoint.url, body, headers)
        except WebhookTargetError as exc:
            return Outcome(d, DeliveryEvent.Event.FAILED, f"target refused: {exc}")
        except OSError as exc:
            return Outcome(d, DeliveryEvent.Event.RETRY, f"{type(exc).__name__}: {exc}")
        if 200 <= status < 300:
            return Outcome(d, DeliveryEvent.Event.SENT, f"HTTP {status}")
        if 300 <= status < 400:
            return Outcome(d, DeliveryEvent.Event.FAILED, f"HTTP {status}: redirects are not followed")
        permanent = 400 <= status < 500 and status not in (408, 429)
        return Outcome(d, DeliveryEvent.Event.FAILED if permanent else DeliveryEvent.Event.RETRY, f"HTTP {status}")

    def close(self) -> None:
        pass


def due_pending(now: dt.datetime | None = None):
    """(notice_id, channel) pairs with deliveries due now: what the sweep defers jobs for."""
    now = now or timezone.now()
    return (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .values_list("notice_id", "channel")
        .distinct()
        .order_by("notice_id", "channel")
    )
