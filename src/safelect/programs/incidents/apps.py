from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Election cybersecurity incidents: reports, notices and their clocks, and Congress (S.2261 §4(h)–(k), (p))."""

    name = "safelect.programs.incidents"
    label = "incidents"
    verbose_name = "Election cybersecurity incidents"
    default_auto_field = "django.db.models.BigAutoField"
