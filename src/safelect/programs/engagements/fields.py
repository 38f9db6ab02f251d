"""A model field holding free text with FOIA redaction spans.

The value is a :class:`~.importing.RedactedText`; the database holds its segments as JSON
(``[{"text": ..., "exemption": "(b)(6)" | null}, ...]``), so withheld content and its exemption
code stay together and every rendering (internal, FOIA release, lossless marked text) is derived.
"""

from __future__ import annotations

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .importing import RedactedText, Segment, parse_redacted


def to_segments(value: RedactedText) -> list[dict]:
    return [{"text": s.text, "exemption": s.exemption} for s in value.segments]


def from_segments(data) -> RedactedText:
    if not data:
        return RedactedText()
    return RedactedText(tuple(Segment(item["text"], item.get("exemption")) for item in data))


class _RedactedTextAttribute(DeferredAttribute):
    """Assigning segments or marked text stores a :class:`RedactedText`."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class RedactedTextField(models.JSONField):
    """A :class:`RedactedText` stored as its JSON segments (empty text = ``[]``).

    Assign a ``RedactedText``, its segment list, or marked text (``"met [[(b)(6)|J. Doe]]"``).
    """

    descriptor_class = _RedactedTextAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return from_segments(super().from_db_value(value, expression, connection))

    def to_python(self, value):
        if isinstance(value, RedactedText):
            return value
        if isinstance(value, str):
            return parse_redacted(value)
        return from_segments(value) if isinstance(value, list) or value is None else value

    def get_prep_value(self, value):
        if isinstance(value, RedactedText):
            value = to_segments(value)
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return to_segments(value) if isinstance(value, RedactedText) else value
