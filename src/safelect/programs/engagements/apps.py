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
        from .followups import register_getback_duty

        register_getback_duty()
