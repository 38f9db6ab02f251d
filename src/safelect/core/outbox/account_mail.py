"""Invitation and password-reset emails: the accounts kernel announces them, the outbox sends them.

Both are private notice kinds (``registry.NoticeKind.private``): the single-use link is rendered
from ``secret_context``, never stored in the notice's context, and the body holding it is erased
once the delivery ends. Both go through the same retried, logged delivery as every other notice,
so a request needs no reachable SMTP server.
"""

from __future__ import annotations

from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.signals import invitation_sent, password_reset_requested

from .recipients import nobody
from .registry import NoticeKind

INVITATION = "outbox.account_invitation"
PASSWORD_RESET = "outbox.password_reset"

KINDS = [
    NoticeKind(
        code=INVITATION,
        title="Invitation to join an organization",
        description="Sent to a person invited to an organization; carries a single-use link.",
        recipients=lambda context: nobody(),
        channels=("email",),
        private=True,
        email_opt_out_allowed=False,
        email_subject="Invitation to {{ organization_name }} on safelect",
        email_body="{{ inviter }} invited you to join {{ organization_name }} on safelect as: {{ roles }}.\n\n"
        "Accept within {{ days }} days: {{ link }}\n\nIf you did not expect this, ignore this message.",
        inbox_title="Invitation to {{ organization_name }}",
    ),
    NoticeKind(
        code=PASSWORD_RESET,
        title="Password reset",
        description="Sent to a person who asked to reset their password; carries a single-use link.",
        recipients=lambda context: nobody(),
        channels=("email",),
        private=True,
        email_opt_out_allowed=False,
        email_subject="Reset your safelect password",
        email_body="Someone asked to reset the password of {{ email }} on safelect.\n\n"
        "Choose a new password within {{ hours }} hours: {{ link }}\n\n"
        "If it was not you, ignore this message; your password stays as it is.",
        inbox_title="Password reset requested",
    ),
]


def _send_invitation(sender, *, invitation, link, inviter, **kwargs) -> None:
    from .services import send

    days = (
        max(1, round((invitation.expires_at - invitation.created_at).total_seconds() / 86400))
        if getattr(invitation, "created_at", None)
        else 7
    )
    send(
        INVITATION,
        context={
            "organization_name": invitation.organization.name,
            "inviter": str(inviter) if inviter else "The national office",
            "roles": ", ".join(ROLES[c].label for c in invitation.roles if c in ROLES),
            "days": days,
            "invitation_id": invitation.pk,
        },
        actor=inviter,
        organization=invitation.organization,
        subject_object=invitation,
        addresses=[invitation.email],
        secret_context={"link": link},
    )


def _send_password_reset(sender, *, user, link, hours, **kwargs) -> None:
    from .services import send

    send(
        PASSWORD_RESET,
        context={"email": user.email, "hours": hours},
        subject_object=user,
        addresses=[user.email],
        secret_context={"link": link},
    )


def connect() -> None:
    invitation_sent.connect(_send_invitation, dispatch_uid="outbox.account_invitation")
    password_reset_requested.connect(_send_password_reset, dispatch_uid="outbox.password_reset")
