from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "safelect.core.personal"
    label = "personal"
    verbose_name = "Personal information: scan, review, minimise, purge (S.2261 §4(g))"
