"""What happened to a delivery, in words a program officer reads without a manual.

Delivery attempts record the technical detail (an exception, an SMTP reply, an HTTP status) in the
log; :func:`explain` turns it into one sentence that says what went wrong and what happens next,
and the technical text stays available beside it.
"""

from __future__ import annotations

import re

_SMTP_REPLY = re.compile(r"(MAIL FROM|RCPT TO|DATA|end of DATA): (\d{3}) ?(.*)", re.S)
_HTTP_STATUS = re.compile(r"\bHTTP (\d{3})\b")

_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"presumed|handing .* to the SMTP server|after handing off", re.I),
        "Probably delivered: the worker stopped right after handing the message over; it is not sent twice.",
    ),
    (
        re.compile(r"ConnectionRefused|Connection refused", re.I),
        "The mail server did not accept a connection (it may be down or not configured).",
    ),
    (re.compile(r"timed out|Timeout", re.I), "The other side did not answer in time."),
    (re.compile(r"gaierror|Name or service not known|nodename nor servname", re.I), "The server's name could not be found (DNS)."),
    (re.compile(r"SMTPServerDisconnected|Connection unexpectedly closed|reset by peer", re.I), "The mail server closed the connection."),
    (re.compile(r"hand-off mark could not be written", re.I), "The database could not record the hand-off, so the message was not sent."),
    (
        re.compile(r"private|loopback|link-local|not allowed|refused target", re.I),
        "The webhook address points inside a private network and was refused.",
    ),
    (re.compile(r"no email address|no address", re.I), "There was no address to send to."),
]


def explain(detail: str, status: str = "") -> str:
    """One sentence for a delivery's last error or a log event's detail ('' when there is nothing to say)."""
    text = (detail or "").strip()
    if not text:
        return ""
    reply = _SMTP_REPLY.search(text)
    if reply:
        step, code, message = reply.group(1), int(reply.group(2)), reply.group(3).strip()
        who = {"MAIL FROM": "our sender address", "RCPT TO": "the recipient's address"}.get(step, "the message")
        verdict = "refused" if 500 <= code < 600 else "deferred"
        again = "It will not be tried again." if 500 <= code < 600 else "It will be tried again."
        return f"The mail server {verdict} {who} ({code} {message[:120]}). {again}"
    http = _HTTP_STATUS.search(text)
    if http:
        code = int(http.group(1))
        again = "It will be tried again." if code >= 500 or code == 429 else "It will not be tried again."
        return f"The webhook receiver answered HTTP {code}. {again}"
    for pattern, words in _RULES:
        if pattern.search(text):
            if status == "pending":
                return f"{words} It will be tried again."
            return words
    return text[:200]
