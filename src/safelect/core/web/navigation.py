"""The header's navigation: each app declares its entries on its AppConfig.

An AppConfig may set ``navigation = [("Label", "url-name", "app:resource:action" or PUBLIC), ...]``;
entries appear in app order for people who hold the permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .permissions import PUBLIC, allowed


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def items_for(request) -> list[NavItem]:
    found = []
    for config in apps.get_app_configs():
        for label, url_name, permission in getattr(config, "navigation", []):
            if permission != PUBLIC and (not request.user.is_authenticated or not allowed(request, permission)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            found.append((label, url))
    # Only the longest matching link is "current": /engagements/coverage/ is Coverage, not Engagements.
    matching = [url for _, url in found if url != "/" and request.path.startswith(url)]
    current = max(matching, key=len) if matching else None
    return [NavItem(label, url, url == current) for label, url in found]
