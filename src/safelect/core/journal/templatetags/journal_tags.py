"""Journal entries for people: actions in words, changes with readable values."""

from django import template

from ..history import action_words, describe

register = template.Library()


@register.filter
def in_words(action: str) -> str:
    return action_words(action)


@register.filter
def changes(summary, obj=None) -> list[tuple[str, str]]:
    """``entry.summary|changes:object``: the object's field choices are shown by their labels."""
    return describe(summary, type(obj) if obj is not None else None)
