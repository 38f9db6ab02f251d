from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Engagement tracking with election officials: records, weekly-summary import and
    export, follow-ups, the review queue and the coverage map."""

    name = "safelect.programs.engagements"
    label = "engagements"
    verbose_name = "Engagements with election officials"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [
        ("Engagements", "engagements:list", "engagements:engagement:view"),
        ("Coverage", "engagements:coverage", "engagements:coverage:view"),
    ]

    def ready(self) -> None:
        from safelect.core.accounts.actor import Actor
        from safelect.core.journal.services import register_history

        from .followups import register_getback_duty
        from .models import Engagement

        register_getback_duty()
        # History pages: journal summaries hold released (FOIA) values only, so every reader of the
        # engagement may read its history.
        register_history(
            Engagement,
            permission="engagements:engagement:view",
            visible=lambda request: Actor.of(request).restrict(Engagement.objects.all()),
        )
