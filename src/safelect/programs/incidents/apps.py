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

        from safelect.core.directory.systems import register_system_users

        def reporters_of(systems: list[str]):
            from django.db.models import Q

            match = Q(pk__in=[])
            for code in systems:
                match |= Q(systems__contains=[code])
            return Incident.objects.filter(match).values_list("organization_id", flat=True)

        register_system_users("incidents", reporters_of)  # S.2261 §4(k)(1)(B): the systems an agency reported
        register_history(Incident, permission=VIEW, visible=lambda request: Actor.of(request).restrict(Incident.objects.all(), VIEW))
