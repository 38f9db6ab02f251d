from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "safelect.core.outbox"
    label = "outbox"
    verbose_name = "Notices: outbox, deliveries and inbox"
    # The header shows the inbox with its unread count through ``outbox/_inbox_link.html``
    # (included by ``web/account_nav.html``) rather than a navigation entry.

    def ready(self) -> None:
        # Collect every app's notices.py now, so a misdeclared kind fails at start-up, not at send.
        from .registry import load_kinds

        load_kinds()
        from .account_mail import connect

        connect()  # invitations and password resets go through the outbox
        from safelect.core.journal.services import register_history

        from .models import Notice, WebhookEndpoint

        register_history(Notice, permission="outbox:delivery:view", visible=lambda request: Notice.objects.all())
        register_history(
            WebhookEndpoint,
            permission="outbox:webhook:manage",
            visible=lambda request: WebhookEndpoint.objects.filter(organization=getattr(request, "acting_organization", None)),
        )
