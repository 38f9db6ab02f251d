from django.apps import AppConfig


class GrantsConfig(AppConfig):
    """Grants: the bills' formulas, programs, applications reviewed condition by condition, awards,
    payments, qualified providers and research calls (S.2261 §7; H.R. 5011 §297–298, §121)."""

    name = "safelect.programs.grants"
    label = "grants"
    verbose_name = "Grants"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Grants", "grants:home", "grants:program:view")]

    def ready(self) -> None:
        from safelect.core.journal.services import register_history

        from .access import visible_applications
        from .models import Application

        register_history(Application, permission="grants:application:view", visible=lambda request: visible_applications(request))
        from . import clocks  # noqa: F401  (registers the internal policy duties)
