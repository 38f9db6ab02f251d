"""Inbox, preferences, delivery log pages; context processor; signed webhooks to a loopback server."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory

from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
from safelect.core.outbox import delivery, services
from safelect.core.outbox.context import inbox as inbox_context
from safelect.core.outbox.models import Delivery, EmailPreference, InboxItem


def _as(user):
    """The person acting through their (only) membership."""
    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership

    return Actor.member(Membership.objects.get(user=user))


pytestmark = pytest.mark.django_db


@pytest.fixture
def state_office():
    return Organization.objects.get(key="state:WI")


@pytest.fixture
def official(state_office):
    user = User.objects.create_superuser(username="wi", email="wi@elections.example", password="x" * 16, full_name="Ana Ruiz")
    Membership.objects.create(user=user, organization=state_office, roles=["chief_state_election_official"])
    return user


@pytest.fixture
def other(state_office):
    user = User.objects.create_user(username="staff", email="staff@elections.example", password="x" * 16)
    Membership.objects.create(user=user, organization=state_office, roles=["state_election_staff"])
    return user


def _announce(title="Patch now", kinds=("state_election_office",)):
    with transaction.atomic():
        notice = services.send(
            "outbox.announcement", context={"title": title, "message": "Line one.\nLine two.", "organization_kinds": list(kinds)}
        )
    delivery.deliver_notice(notice.pk, "inbox")
    return notice


def test_inbox_unread_count_item_page_and_mark_read(client, official, other):
    notice = _announce()
    client.force_login(official)
    request = RequestFactory().get("/")
    request.user = official
    assert inbox_context(request)["inbox_unread"] == 1
    html = Template('{% include "outbox/_inbox_link.html" %}').render(Context({"user": official, "inbox_unread": 1}))
    assert "Inbox" in html and "1 unread" in html
    page = client.get("/outbox/inbox/")
    assert page.status_code == 200 and "Patch now" in page.content.decode() and "1 unread" in page.content.decode()
    item = InboxItem.objects.get(user=official, notice=notice)
    theirs = InboxItem.objects.get(user=other, notice=notice)
    assert client.get(f"/outbox/inbox/{theirs.pk}/").status_code == 404  # only one's own items
    shown = client.get(f"/outbox/inbox/{item.pk}/")
    assert shown.status_code == 200 and "Line two." in shown.content.decode()
    assert services.unread_count(official) == 0 and services.unread_count(other) == 1
    assert client.post("/outbox/inbox/read/").status_code == 302
    assert client.get("/api/outbox/inbox").json()[0]["read_at"] is not None


def test_preferences_page_turns_off_only_what_the_law_allows(client, official):
    client.force_login(official)
    page = client.get("/outbox/preferences/")
    assert "Announcement from the national office" in page.content.decode()
    assert "Webhook registered" in page.content.decode()  # listed under "always emailed"
    assert client.post("/outbox/preferences/", {}).status_code == 302
    assert EmailPreference.objects.get(user=official, kind="outbox.announcement").email_enabled is False
    assert not EmailPreference.objects.filter(kind="outbox.webhook_registered").exists()


def test_delivery_log_page(client, official):
    notice = _announce()
    client.force_login(official)
    assert "Patch now" in client.get("/outbox/notices/").content.decode()
    listing = client.get("/outbox/notices/").content.decode()
    assert "Announcement from the national office" in listing and "outbox.announcement" not in listing  # the kind's title, not its code
    page = client.get(f"/outbox/notices/{notice.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="sent">Sent</span>' in html and 'data-status="pending">Pending</span>' in html  # statuses as separate badges
    assert "Ana Ruiz" in html  # recipients by name, not by id
    from safelect.core.outbox.models import Delivery

    Delivery.objects.filter(notice=notice, channel="email").update(last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    html = client.get(f"/outbox/notices/{notice.pk}/").content.decode()
    assert "The mail server did not accept a connection" in html  # in words, the technical text kept under "Technical detail"
    assert "Technical detail" in html


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    secret = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp = self.headers["X-Safelect-Timestamp"]
        expected = "sha256=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, self.headers["X-Safelect-Signature"])
        self.received.append((ok, json.loads(body), self.headers["X-Safelect-Delivery"]))
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_signed_webhook_reaches_a_loopback_receiver(official, state_office, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # a loopback receiver: only with the test/closed-network switch
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint, secret = services.register_webhook(
            _as(official), organization=state_office, url=f"http://127.0.0.1:{server.server_port}/hook"
        )
        _Receiver.secret, _Receiver.received = secret, []
        notice = _announce()
        assert notice.delivery_counts["webhook"] >= 1
        stats = delivery.deliver_notice(notice.pk, "webhook")
        assert stats.sent >= 1
        mine = [r for r in _Receiver.received if r[1]["delivery"] == Delivery.objects.get(notice=notice, endpoint=endpoint).pk]
        assert len(mine) == 1 and mine[0][0] is True and mine[0][1]["title"] == "Patch now"
        _Receiver.secret = "wrong"  # a receiver that rejects the signature: 401 is final
        again = _announce("Second")
        assert delivery.deliver_notice(again.pk, "webhook").failed >= 1
    finally:
        server.shutdown()
