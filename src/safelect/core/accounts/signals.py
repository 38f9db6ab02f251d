"""What the accounts kernel announces, for the outbox to turn into email in the same transaction.

Accounts sit below the outbox (the outbox resolves recipients from memberships), so accounts do
not import it; the outbox connects receivers to these signals at start-up
(``safelect.core.outbox.account_mail``). Signals run synchronously inside the sender's
transaction, so the email is written to the outbox with the invitation or the reset request, or
not at all. A service refuses to run when nothing is connected rather than lose the message.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

#: ``invitation``, ``link`` (with the raw single-use token), ``inviter`` (a User or None).
invitation_sent = Signal()
#: ``user``, ``link`` (single-use, expiring), ``hours`` (how long the link works).
password_reset_requested = Signal()


def announce(signal: Signal, **kwargs) -> None:
    if not signal.has_listeners():
        raise ImproperlyConfigured("no mailer is connected to the accounts signals: is safelect.core.outbox installed?")
    signal.send(sender="accounts", **kwargs)
