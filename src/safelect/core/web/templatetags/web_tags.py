"""Template helpers every app may load: ``{% load web_tags %}``."""

from django import template
from django.utils.safestring import mark_safe

from ..citations import link_citations
from ..permissions import permission_words

register = template.Library()


@register.filter(name="permission_words")
def permission_words_filter(code: str) -> str:
    return permission_words(code)


class _CitationLinks(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return mark_safe(link_citations(self.nodelist.render(context)))


@register.tag(name="citelinks")
def citelinks(parser, token):
    """``{% citelinks %}…{% endcitelinks %}``: the bills' citations in the enclosed HTML link to the lawbook."""
    nodelist = parser.parse(("endcitelinks",))
    parser.delete_first_token()
    return _CitationLinks(nodelist)
