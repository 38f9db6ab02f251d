from django import template

from ..linking import linked

register = template.Library()


@register.filter
def lawtext(provision):
    """The provision's text, escaped, with defined terms and cross-references linked."""
    return linked(provision)
