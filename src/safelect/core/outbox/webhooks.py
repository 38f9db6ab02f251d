"""Webhook targets that cannot be turned against safelect's own network (server-side request forgery).

An organization registers a URL and safelect's workers POST notices to it. Without checks, anyone
allowed to register a webhook could make the worker reach the database host, a cloud metadata
service (``169.254.169.254``) or an internal admin page. So:

* **at registration** (:func:`check_target`, called by ``services.register_webhook``): ``https``
  only; the host must resolve, and *every* address it resolves to must be a public (global)
  address — not loopback, private (RFC 1918, ULA), link-local (the metadata range), carrier-grade
  NAT, multicast, reserved or unspecified;
* **at every send** (:func:`post`): the name is resolved and checked again (DNS can change after
  registration — "DNS rebinding"), and the connection goes to the address that was checked, with
  the original host name sent for TLS (SNI, certificate check) and in ``Host``;
* **no redirects** are followed (a 3xx is a failure, so a public URL cannot bounce the worker to an
  internal one); connect and read time-outs are bounded (5 s / 10 s) and at most 64 KiB of the
  reply is read.

``SAFELECT_WEBHOOK_ALLOW_PRIVATE=true`` lifts the address and scheme rules for tests and closed
networks (the tests post to a loopback receiver); production settings leave it off.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_REPLY = 64 * 1024


class WebhookTargetError(ValueError):
    """The URL is not an acceptable webhook target; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address the connection goes to


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False))


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (the cloud metadata range)"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "a private address"
    return None


def check_target(url: str, *, resolve=None) -> Target:
    """The target of ``url`` after every check above; :class:`WebhookTargetError` says what failed."""
    parts = urlsplit((url or "").strip())
    allow = _allow_private()
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookTargetError("a webhook URL must look like https://host/path")
    if parts.scheme != "https" and not allow:
        raise WebhookTargetError("webhooks are sent over https only: use an https:// URL")
    if parts.username or parts.password:
        raise WebhookTargetError("a webhook URL must not carry a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookTargetError("the port of the webhook URL is not a number from 1 to 65535") from None
    host = parts.hostname
    try:
        infos = (resolve or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise WebhookTargetError(f"the host name {host!r} does not resolve") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise WebhookTargetError(f"the host name {host!r} does not resolve")
    if not allow:
        for address in addresses:
            why = _refusal(ipaddress.ip_address(address.split("%", 1)[0]))
            if why:
                raise WebhookTargetError(f"{host} resolves to {address}, {why}: webhooks may only reach public internet addresses")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, verifying the certificate for the original host name."""

    def __init__(self, target: Target, **kwargs):
        super().__init__(target.host, target.port, context=ssl.create_default_context(), **kwargs)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(READ_TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, **kwargs):
        super().__init__(target.host, target.port, **kwargs)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url`` after checking the target again; returns the HTTP status.

    Raises :class:`WebhookTargetError` for a refused target and ``OSError`` for network failures.
    """
    target = check_target(url)
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = cls(target, timeout=READ_TIMEOUT)
    try:
        conn.request("POST", target.path, body=body, headers={**headers, "Content-Length": str(len(body))})
        response = conn.getresponse()
        response.read(MAX_REPLY)
        return response.status
    except http.client.HTTPException as exc:
        raise OSError(f"bad HTTP reply: {exc}") from exc
    finally:
        conn.close()
