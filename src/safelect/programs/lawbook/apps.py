from django.apps import AppConfig


class LawbookConfig(AppConfig):
    """The two bills as structured law (S.2261; H.R. 5011): provisions with stable citations, what
    safelect does for each, and answers to questions quoted from the text."""

    name = "safelect.programs.lawbook"
    label = "lawbook"
    verbose_name = "Lawbook"
    default_auto_field = "django.db.models.BigAutoField"
