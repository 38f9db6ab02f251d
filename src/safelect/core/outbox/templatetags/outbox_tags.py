"""Delivery logs in words: kinds by title, recipients by name, statuses as badges, problems explained."""

from django import template
from django.utils.html import format_html

from .. import registry
from ..wording import explain

register = template.Library()

_STATUS_CLASS = {
    "sent": "bg-green",
    "pending": "bg-gold text-ink",
    "failed": "bg-secondary-dark",
    "skipped": "bg-base-lighter text-ink",
}


@register.filter
def kind_title(code: str) -> str:
    try:
        return registry.get(code).title
    except KeyError:
        return code


@register.simple_tag
def delivery_status(status: str, label: str = ""):
    return format_html(
        '<span class="usa-tag {}" data-status="{}">{}</span>', _STATUS_CLASS.get(status, ""), status, label or status.title()
    )


@register.simple_tag
def recipient(delivery):
    """Who a delivery went to: a person by name (and address), an organization's webhook by name."""
    if delivery.user_id and getattr(delivery, "user", None) is not None:
        person = delivery.user
        name = getattr(person, "full_name", "") or person.get_username()
        address = delivery.address or person.email
        return format_html("{}<br><small>{}</small>", name, address) if address and address != name else name
    if delivery.endpoint_id and getattr(delivery, "endpoint", None) is not None:
        return format_html("{}<br><small>{}</small>", delivery.endpoint.organization.name, delivery.address or delivery.endpoint.url)
    return delivery.address or "—"


@register.filter
def in_words(detail: str, status: str = "") -> str:
    return explain(detail, status)
