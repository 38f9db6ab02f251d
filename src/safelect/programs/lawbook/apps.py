from django.apps import AppConfig


class LawbookConfig(AppConfig):
    """The two bills as structured law (S.2261; H.R. 5011): provisions with stable citations, what
    safelect does for each, and answers to questions quoted from the text."""

    name = "safelect.programs.lawbook"
    label = "lawbook"
    verbose_name = "Lawbook"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Lawbook", "lawbook:index", "public")]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_load_after_migrate, sender=self)


def _load_after_migrate(sender, **kwargs) -> None:
    from .loading import load

    load()
