"""URL map: the home page, health check, the API, and each app's ``urls.py`` under its label."""

from django.urls import include, path

from safelect.core.discovery import app_modules

from . import views as web_views
from .api import api

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("demo/mailbox/", web_views.demo_mailbox, name="demo-mailbox"),
    path("api/", api.urls),
]

for config, module in app_modules("urls"):
    if config.label not in ("web", "server"):
        prefix = getattr(config, "url_prefix", f"{config.label}/")
        urlpatterns.append(path(prefix, include(module)))
    for mount, dotted in getattr(config, "url_mounts", {}).items():  # e.g. sharing's TAXII server at /taxii2/
        urlpatterns.append(path(mount, include(dotted)))

handler400 = "safelect.core.web.errors.bad_request"
handler403 = "safelect.core.web.errors.permission_denied"
handler404 = "safelect.core.web.errors.page_not_found"
handler500 = "safelect.core.web.errors.server_error"
