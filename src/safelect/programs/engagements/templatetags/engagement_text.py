"""Rendering free text with redaction spans: internal (spans marked) or released (codes only)."""

from django import template
from django.utils.html import format_html, format_html_join

from ..importing import RedactedText

register = template.Library()


@register.simple_tag
def redacted(value: RedactedText, internal: bool = False):
    """Internal readers see withheld content highlighted with its exemption; others the release."""
    if not value:
        return ""
    if not internal:  # escaped by format_html; line breaks kept by the class's white-space rule
        return format_html('<div class="safelect-redacted-text">{}</div>', value.foia())
    parts = [(("", s.text) if s.exemption is None else ("safelect-withheld", s.internal())) for s in value.segments]
    body = format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<mark class="{}" title="Withheld from release under {}">{} <span class="usa-sr-only">(withheld under {})</span></mark>',
                    cls,
                    s.exemption,
                    text,
                    s.exemption,
                )
                if cls
                else text,
            )
            for (cls, text), s in zip(parts, value.segments, strict=True)
        ),
    )
    return format_html('<div class="safelect-redacted-text">{}</div>', body)
