"""Delivery problems are told in words, with the technical detail kept beside them."""

import pytest

from safelect.core.outbox.wording import explain


@pytest.mark.parametrize(
    ("detail", "status", "words"),
    [
        ("ConnectionRefusedError: [Errno 111] Connection refused", "pending", "did not accept a connection"),
        (
            "RCPT TO: 550 5.1.1 mailbox unavailable",
            "failed",
            "refused the recipient's address (550 5.1.1 mailbox unavailable). It will not be tried again.",
        ),
        ("MAIL FROM: 451 try later", "pending", "deferred our sender address (451 try later). It will be tried again."),
        ("TimeoutError: timed out", "pending", "did not answer in time. It will be tried again."),
        ("HTTP 503 from the receiver", "pending", "answered HTTP 503. It will be tried again."),
        ("HTTP 404 from the receiver", "failed", "answered HTTP 404. It will not be tried again."),
        ("connection lost after handing off <1.2@safelect>: reset by peer", "sent", "Probably delivered"),
    ],
)
def test_explain(detail, status, words):
    assert words in explain(detail, status)


def test_nothing_to_explain_and_unknown_text_passes_through():
    assert explain("") == ""
    assert explain("something new") == "something new"
