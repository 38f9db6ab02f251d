"""Webhooks cannot be turned against safelect's own network (server-side request forgery).

With production settings, registering (API and service) refuses plain http, loopback, private,
link-local (cloud metadata) addresses and names that resolve to them, with a message that says
why; the check runs again at every send, so a name that later resolves to a private address is
refused then; redirects are not followed; an unreadable signing secret is never replaced by "".
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.core.outbox import delivery, services, webhooks
from safelect.core.outbox.models import Delivery, WebhookEndpoint


def _as(user):
    """The person acting through their (only) membership."""
    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership

    return Actor.member(Membership.objects.get(user=user))


pytestmark = pytest.mark.django_db


def _fake_resolver(address):
    def resolve(host, port, type=0):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    return resolve


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8080/hook", "https only"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://10.0.0.5/hook", "private"),
        ("https://192.168.1.1/hook", "private"),
        ("https://[::1]/hook", "loopback"),
        ("https://[fd00::1]/hook", "private"),
        ("https://user:pw@example.org/hook", "user name"),
        ("ftp://example.org/hook", "https://host/path"),
    ],
)
def test_production_settings_refuse_internal_targets_with_a_clear_message(url, why):
    with pytest.raises(webhooks.WebhookTargetError) as refused:
        webhooks.check_target(url)
    assert why.split()[0] in str(refused.value) or why in str(refused.value), str(refused.value)


def test_a_name_that_resolves_to_a_private_address_is_refused():
    with pytest.raises(webhooks.WebhookTargetError, match="resolves to 10.1.2.3, a private address"):
        webhooks.check_target("https://hooks.agency.example/x", resolve=_fake_resolver("10.1.2.3"))
    with pytest.raises(webhooks.WebhookTargetError, match="link-local"):
        webhooks.check_target("https://metadata.example/x", resolve=_fake_resolver("169.254.169.254"))
    target = webhooks.check_target("https://hooks.agency.example/x?y=1", resolve=_fake_resolver("93.184.216.34"))
    assert (target.address, target.path, target.port) == ("93.184.216.34", "/x?y=1", 443)


def test_the_api_refuses_a_loopback_webhook_and_stores_nothing():
    _, chief = make_member("chief_state_election_official", "state:WI", is_admin=True)
    from safelect.core.accounts.models import Membership

    Membership.objects.filter(organization__key="state:WI").update(is_admin=True)
    response = chief.post("/api/outbox/webhooks", json.dumps({"url": "http://127.0.0.1:9/hook"}), content_type="application/json")
    assert response.status_code in (403, 422), response.content
    if response.status_code == 422:
        assert "https" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_service_refuses_and_the_check_runs_again_at_send_time(settings, monkeypatch):
    official, _ = make_member("chief_state_election_official", "state:WI")
    office = Organization.objects.get(key="state:WI")
    with pytest.raises(ValidationError) as refused:
        services.register_webhook(_as(official), organization=office, url="https://169.254.169.254/")
    assert "link-local" in refused.value.message_dict["url"][0]
    # Registered while the name was public; it now resolves to a private address (DNS rebinding).
    monkeypatch.setattr(socket, "getaddrinfo", _fake_resolver("93.184.216.34"))
    endpoint, _ = services.register_webhook(_as(official), organization=office, url="https://hooks.wi.example/in")
    monkeypatch.setattr(socket, "getaddrinfo", _fake_resolver("10.9.9.9"))
    with transaction.atomic():
        notice = services.send(
            "outbox.announcement", context={"title": "x", "message": "y", "organization_kinds": ["state_election_office"]}
        )
    stats = delivery.deliver_notice(notice.pk, "webhook")
    d = Delivery.objects.get(notice=notice, endpoint=endpoint)
    assert stats.failed >= 1 and d.status == "failed" and "private address" in d.last_error


class _Redirector(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(307)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_redirects_are_not_followed_and_an_unreadable_secret_is_never_used(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    server = HTTPServer(("127.0.0.1", 0), _Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    official, _ = make_member("chief_state_election_official", "state:WI")
    office = Organization.objects.get(key="state:WI")
    try:
        endpoint, _ = services.register_webhook(_as(official), organization=office, url=f"http://127.0.0.1:{server.server_port}/hook")
        with transaction.atomic():
            notice = services.send(
                "outbox.announcement", context={"title": "x", "message": "y", "organization_kinds": ["state_election_office"]}
            )
        delivery.deliver_notice(notice.pk, "webhook")
        d = Delivery.objects.get(notice=notice, endpoint=endpoint)
        assert d.status == "failed" and "redirects are not followed" in d.last_error
        # The key changed with no fallback: the secret reads as "" and nothing is signed with it.
        settings.SECRET_KEY = "a completely different secret key that is long enough"
        settings.SECRET_KEY_FALLBACKS = []
        with transaction.atomic():
            second = services.send(
                "outbox.announcement", context={"title": "x2", "message": "y", "organization_kinds": ["state_election_office"]}
            )
        delivery.deliver_notice(second.pk, "webhook")
        d2 = Delivery.objects.get(notice=second, endpoint=endpoint)
        assert d2.status == "failed" and "signing secret cannot be read" in d2.last_error
    finally:
        server.shutdown()


def test_a_rotated_key_still_reads_the_secret_through_the_fallbacks(settings):
    from safelect.core.accounts import encryption

    settings.WEBHOOK_ALLOW_PRIVATE = True
    official, _ = make_member("chief_state_election_official", "state:WI")
    endpoint, secret = services.register_webhook(
        _as(official), organization=Organization.objects.get(key="state:WI"), url="http://127.0.0.1:9/hook"
    )
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new secret key, at least thirty-two characters", [old]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret
    rotated = encryption.rotate_all()
    assert rotated["outbox.WebhookEndpoint.secret"][0] >= 1
    settings.SECRET_KEY_FALLBACKS = []
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret
