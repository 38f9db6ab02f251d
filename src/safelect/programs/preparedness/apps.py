from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    """The national office's services to election officials and their clocks: the public catalog of
    cybersecurity services (S.2261 §4(m)), security clearances (S.2261 §4(l); H.R. 5011 §203), risk
    and vulnerability assessments (H.R. 5011 §205; S.2261 §7(f)(4)), pre-election threat assessments
    (H.R. 5011 §204) and the annual report on them (H.R. 5011 §206).

    One app rather than one per service: the §206 report counts clearances and assessments
    together, and programs never import each other."""

    name = "safelect.programs.preparedness"
    label = "preparedness"
    verbose_name = "Preparedness services"
    default_auto_field = "django.db.models.BigAutoField"
    url_prefix = "services/"

    navigation = [("Services", "preparedness:catalog", "public")]

    def ready(self) -> None:
        from . import interstate  # noqa: F401  (registers the internal policy duty of the §4(o) comment period)
