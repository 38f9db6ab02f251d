"""Template helpers every app may load: ``{% load web_tags %}``."""

from django import template

from ..permissions import permission_words

register = template.Library()


@register.filter(name="permission_words")
def permission_words_filter(code: str) -> str:
    return permission_words(code)
