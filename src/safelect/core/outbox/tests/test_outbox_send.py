"""Sending notices: outbox rows in the caller's transaction, dedupe keys, opt-outs, delivery."""

import pytest
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
from safelect.core.journal.models import Entry
from safelect.core.outbox import delivery, registry, services
from safelect.core.outbox.models import Delivery, DeliveryEvent, InboxItem, Notice
from safelect.core.outbox.testing import smtp_server  # noqa: F401  (fixture; also registered as a plugin)


def _as(user):
    """The person acting through their (only) membership."""
    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership

    return Actor.member(Membership.objects.get(user=user))


pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return Organization.objects.get(key="jurisdiction:0100100000")


@pytest.fixture
def officials(county):
    people = []
    for i, roles in enumerate([["local_election_official"], ["local_election_official"], ["audit_board_member"]]):
        user = User.objects.create_user(username=f"clerk{i}", email=f"clerk{i}@autauga.example", password="x" * 16)
        Membership.objects.create(user=user, organization=county, roles=roles)
        people.append(user)
    inactive = User.objects.create_user(username="gone", email="gone@autauga.example", password="x" * 16, is_active=False)
    Membership.objects.create(user=inactive, organization=county, roles=["local_election_official"])
    return people


@pytest.fixture
def kind():
    k = services.NoticeKind(
        code="outbox.test_reminder",
        title="Test reminder",
        recipients=lambda ctx: services.members_of(ctx["organization_id"], roles=["local_election_official"]),
        email_subject="Reminder for {{ name }}",
        email_body="Dear official,\n.\nA line starting with a dot above. {{ name }}",
        inbox_title="Reminder for {{ name }}",
        inbox_body="Body {{ name }}",
    )
    registry.register(k, replace=True)
    yield k
    registry.unregister(k.code)


def test_send_writes_notice_deliveries_jobs_and_journal_in_the_transaction(kind, county, officials):
    with transaction.atomic():
        notice = services.send(
            kind.code, context={"organization_id": county.pk, "name": "Autauga"}, organization=county, subject_object=county
        )
    assert notice.email_subject == "Reminder for Autauga"
    assert notice.delivery_counts == {"email": 2, "inbox": 2}
    rows = Delivery.objects.filter(notice=notice)
    assert sorted(rows.filter(channel="email").values_list("address", flat=True)) == ["clerk0@autauga.example", "clerk1@autauga.example"]
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert ProcrastinateJob.objects.filter(task_name="outbox.deliver", args__notice_id=notice.pk).count() == 2
    assert Entry.objects.filter(action="outbox:notice:send", object_id=str(notice.pk)).exists()


def test_same_dedupe_key_returns_the_first_notice(kind, county, officials):
    with transaction.atomic():
        first = services.send(kind.code, context={"organization_id": county.pk, "name": "a"}, dedupe_key="reminder:1")
        again = services.send(kind.code, context={"organization_id": county.pk, "name": "b"}, dedupe_key="reminder:1")
    assert again.pk == first.pk
    assert Notice.objects.filter(dedupe_key="reminder:1").count() == 1
    assert Delivery.objects.filter(notice=first).count() == 4


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError, match="unknown notice kind"), transaction.atomic():
        services.send("outbox.no_such_kind", context={})


def test_email_opt_out_is_honoured_only_where_allowed(kind, county, officials):
    services.set_email_preferences(_as(officials[0]), {kind.code: False})
    with transaction.atomic():
        notice = services.send(kind.code, context={"organization_id": county.pk, "name": "x"})
    assert notice.delivery_counts == {"email": 1, "inbox": 2}
    with pytest.raises(Exception, match="law requires"):
        services.set_email_preferences(_as(officials[0]), {"outbox.webhook_registered": False})


def test_delivery_sends_email_to_loopback_smtp_and_fills_the_inbox(kind, county, officials, smtp_server):  # noqa: F811
    with transaction.atomic():
        notice = services.send(kind.code, context={"organization_id": county.pk, "name": "Autauga"})
    email_stats = delivery.deliver_notice(notice.pk, "email", worker="test")
    inbox_stats = delivery.deliver_notice(notice.pk, "inbox", worker="test")
    assert (email_stats.sent, inbox_stats.sent) == (2, 2), (
        email_stats,
        list(Delivery.objects.filter(notice=notice).values_list("last_error", flat=True)),
    )
    messages = smtp_server.mailbox.wait_for(2)
    ids = sorted(m["Message-ID"] for m in messages)
    expected = sorted(delivery.message_id(d.pk, notice.pk) for d in Delivery.objects.filter(notice=notice, channel="email"))
    assert ids == expected
    assert "\n.\nA line starting with a dot" in messages[0].get_content().replace("\r\n", "\n")
    assert set(Delivery.objects.filter(notice=notice).values_list("status", flat=True)) == {"sent"}
    assert InboxItem.objects.filter(notice=notice, user=officials[0], title="Reminder for Autauga").exists()
    assert services.unread_count(officials[0]) == 1
    # running again finds nothing to do
    assert delivery.deliver_notice(notice.pk, "email").sent == 0
    assert delivery.deliver_notice(notice.pk, "inbox").sent == 0
    assert len(smtp_server.messages) == 2
    events = DeliveryEvent.objects.filter(delivery__notice=notice, delivery__channel="email")
    assert sorted(events.values_list("event", flat=True)) == ["handed_off", "handed_off", "sent", "sent"]


def test_a_handed_off_attempt_is_not_sent_again(kind, county, officials, smtp_server):  # noqa: F811
    """What a worker killed after the hand-off leaves behind: the next claimer does not resend."""
    with transaction.atomic():
        notice = services.send(kind.code, context={"organization_id": county.pk, "name": "x"})
    first = Delivery.objects.filter(notice=notice, channel="email").order_by("id").first()
    DeliveryEvent.objects.create(delivery=first, at=first.created_at, event="handed_off", attempt=1)
    stats = delivery.deliver_notice(notice.pk, "email")
    assert (stats.sent, stats.presumed) == (2, 1)
    assert len(smtp_server.mailbox.wait_for(1)) == 1
    assert DeliveryEvent.objects.filter(delivery=first, event="presumed_sent").exists()


def test_smtp_refusal_is_retried_with_backoff_then_failed(kind, county, officials, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: connection refused
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with transaction.atomic():
        notice = services.send(kind.code, context={"organization_id": county.pk, "name": "x"})
    stats = delivery.deliver_notice(notice.pk, "email")
    assert stats.retried == 2
    row = Delivery.objects.filter(notice=notice, channel="email").first()
    assert row.status == "pending" and row.attempts == 1 and "Connection" in row.last_error
    assert row.next_attempt_at > row.created_at
    Delivery.objects.filter(notice=notice).update(next_attempt_at=row.created_at)
    assert delivery.deliver_notice(notice.pk, "email").failed == 2
    assert set(Delivery.objects.filter(notice=notice, channel="email").values_list("status", flat=True)) == {"failed"}
