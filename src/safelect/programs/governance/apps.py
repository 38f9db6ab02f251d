from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Governance (S.2261 §5, §6; H.R. 5011 §301, §302, §402 and every report to Congress): the
    Advisory Panel and the National Commission, the election cybersecurity guidelines with their
    45-day public comment, the national strategy and its implementation plan, and the register of
    statutory reports with their clocks and recipients."""

    name = "safelect.programs.governance"
    label = "governance"
    verbose_name = "Governance"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Guidelines", "governance:home", "public")]
