"""Template context every page gets: the product name and the navigation."""

from .navigation import items_for


def navigation(request):
    return {"product_name": "safelect", "nav_items": items_for(request) if hasattr(request, "user") else []}
