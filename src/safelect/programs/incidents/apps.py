from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Election cybersecurity incidents: reports, notices and their clocks, and Congress (S.2261 §4(h)–(k), (p))."""

    name = "safelect.programs.incidents"
    label = "incidents"
    verbose_name = "Election cybersecurity incidents"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Incidents", "incidents:list", "incidents:incident:view")]

    def ready(self) -> None:
        from safelect.core.accounts.actor import Actor
        from safelect.core.journal.services import register_history

        from .models import Incident
        from .permissions import VIEW
        from .personal import register_purge_duty

        register_purge_duty()
        register_history(Incident, permission=VIEW, visible=lambda request: Actor.of(request).restrict(Incident.objects.all(), VIEW))
