from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "safelect.core.obligations"
    label = "obligations"
    verbose_name = "Obligations: statutory duties, their clocks, reminders and calendar"

    navigation = [("Deadlines", "obligations:mine", "obligations:obligation:view")]

    def ready(self) -> None:
        from safelect.core.journal.services import register_field_words, register_history

        from .models import Obligation
        from .queries import visible_obligations
        from .templatetags.obligations_tags import threshold_words

        register_history(Obligation, permission="obligations:obligation:view", visible=lambda request: visible_obligations(request))
        register_field_words("threshold", threshold_words)
