"""Template helpers of the obligations pages: status tags and due moments in the holder's zone."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ..explain import format_due

register = template.Library()

_TAG_CLASS = {
    "overdue": "bg-secondary-dark",
    "due_soon": "bg-gold text-ink",
    "open": "bg-primary",
    "fulfilled_on_time": "bg-green",
    "fulfilled_late": "bg-orange text-ink",
    "waived": "bg-base-dark",
}


@register.simple_tag
def status_tag(obligation, now=None):
    status = obligation.status_at(now or timezone.now())
    return format_html('<span class="usa-tag {}" data-status="{}">{}</span>', _TAG_CLASS[status.value], status.value, status.label)


@register.simple_tag
def kind_tag(obligation):
    """Statute or internal policy: shown on every row, never one for the other."""
    if obligation.is_policy:
        return format_html(
            '<span class="usa-tag bg-base-lighter text-ink" title="{}">Policy target</span>',
            "An internal policy target, not a deadline set by law",
        )
    return format_html('<span class="usa-tag bg-primary-darker" title="{}">Statutory</span>', "A deadline set by statute")


@register.filter
def due_text(obligation):
    return format_due(obligation.due_at, obligation.time_zone)


@register.filter
def citation(obligation):
    try:
        return obligation.duty.citation
    except KeyError:
        return obligation.duty_code


@register.filter
def duty_title(obligation):
    try:
        return obligation.duty.title
    except KeyError:
        return "(duty no longer registered)"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def threshold_words(code: str) -> str:
    """A reminder threshold for people: ``lead-86400`` → "Reminder: due tomorrow"."""
    from datetime import timedelta

    from ..thresholds import OVERDUE, describe_lead

    if code == OVERDUE:
        return "Overdue notice"
    if code.startswith("lead-") and code[5:].isdigit():
        return f"Reminder: {describe_lead(timedelta(seconds=int(code[5:])))}"
    return code
