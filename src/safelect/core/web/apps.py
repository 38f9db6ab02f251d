from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "safelect.core.web"
    label = "web"
    verbose_name = "Page shell and shared web components"
