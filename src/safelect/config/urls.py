"""URL map: the home page, health check, the API, and each app's ``urls.py`` under its label."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path

from safelect.core.web import views as web_views

from .api import api

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("api/", api.urls),
]

URL_PREFIXES = {"accounts": "accounts/", "directory": "directory/"}

for config in apps.get_app_configs():
    if not config.name.startswith("safelect.") or config.label == "web":
        continue
    try:
        import_module(f"{config.name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.urls":
            raise
        continue
    prefix = getattr(config, "url_prefix", URL_PREFIXES.get(config.label, f"{config.label}/"))
    urlpatterns.append(path(prefix, include(f"{config.name}.urls")))
