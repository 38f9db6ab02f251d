from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "safelect.core.outbox"
    label = "outbox"
    verbose_name = "Notices: outbox, deliveries and inbox"
    navigation = [("Inbox", "outbox:inbox", "outbox:inbox:view")]

    def ready(self) -> None:
        # Collect every app's notices.py now, so a misdeclared kind fails at start-up, not at send.
        from .registry import load_kinds

        load_kinds()
