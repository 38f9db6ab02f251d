from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """Risk-limiting audits around ``safelect.rla``: set-up, jurisdictions' manifests and cast vote
    records, seed, rounds, audit boards, batch hand tallies, measurement, escalation and reports
    (S.2261 §5(d), §7(h); H.R. 5011 §298)."""

    name = "safelect.programs.audits"
    label = "audits"
    verbose_name = "Risk-limiting audits"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Audits", "audits:list", "audits:audit:view")]
