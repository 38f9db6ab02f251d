from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "safelect.core.journal"
    label = "journal"
    verbose_name = "Journal of every change"
