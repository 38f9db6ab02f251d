from django.apps import AppConfig


class HackConfig(AppConfig):
    """Hack the Election (S.2261 §8): a recurring vulnerability competition in which qualified
    independent experts assess election systems that agencies and providers volunteer, with awards
    for previously unidentified vulnerabilities and prompt notification of those affected."""

    name = "safelect.programs.hack"
    label = "hack"
    verbose_name = "Hack the Election"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Hack the Election", "hack:home", "public")]

    def ready(self) -> None:
        from . import clocks  # noqa: F401  (registers the program's policy duties)
