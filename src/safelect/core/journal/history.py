"""Whose history may be shown: apps register, per model, who may see an object's journal.

In the app's ``AppConfig.ready()``::

    from safelect.core.journal.services import register_history
    register_history(IncidentReport, permission="sharing:incident:view",
                     visible=lambda request: scope.visible(request, IncidentReport.objects.all()))

``visible(request)`` returns the queryset of objects the requester may see (object scope). The
history page and API answer 404 for a model nobody registered and for an object outside the
requester's scope, so they never confirm that an object exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from safelect.core.web.permissions import allowed


@dataclass(frozen=True)
class HistoryRule:
    model: type[Model]
    permission: str
    visible: Callable[[object], QuerySet]


_RULES: dict[str, HistoryRule] = {}
# Summary fields whose stored codes an app puts in words (the obligations app: "threshold").
_FIELD_WORDS: dict[str, Callable[[object], str]] = {}


def register_field_words(field: str, words: Callable[[object], str]) -> None:
    """Show summary field ``field`` of every journal entry through ``words`` (code → people's words)."""
    _FIELD_WORDS[field] = words


def register_history(model: type[Model], *, permission: str, visible: Callable[[object], QuerySet]) -> None:
    if permission.count(":") != 2:
        raise ValueError(f"permission {permission!r} must be app:resource:action")
    _RULES[model._meta.label_lower] = HistoryRule(model, permission, visible)


def rule_for(object_type: str) -> HistoryRule | None:
    return _RULES.get(object_type.lower())


def visible_object(request, object_type: str, object_id: str):
    """The object if the requester may see its history, else None (unknown type, no permission, out of scope)."""
    rule = rule_for(object_type)
    if rule is None or not request.user.is_authenticated or not allowed(request, rule.permission):
        return None
    try:
        return rule.visible(request).filter(pk=object_id).first()
    except (ValueError, TypeError):  # an id of the wrong shape
        return None
    except Exception as exc:  # e.g. a non-integer id for an integer key
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            return None
        raise


def entries_of(obj):
    from .models import Entry

    return Entry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-id")


_ISO_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_VERBS = {
    "create": "Created",
    "update": "Changed",
    "change": "Changed",
    "delete": "Deleted",
    "open": "Opened",
    "close": "Closed",
    "fulfil": "Fulfilled",
    "waive": "Recorded as not applying",
    "reopen": "Reopened",
    "send": "Sent",
    "accept": "Accepted",
    "revoke": "Revoked",
    "grant": "Granted",
    "switch": "Switched to",
    "import": "Imported",
    "lock": "Paused sign-in of",
    "load": "Loaded",
    "deactivate": "Deactivated",
    "resolve": "Resolved",
}


def action_words(action: str) -> str:
    """``engagements:follow_up:close`` → "Closed follow up": the journal's action code for people."""
    parts = action.split(":")
    if len(parts) != 3:
        return action
    _app, resource, verb = parts
    what = resource.replace("_", " ")
    return f"{_VERBS.get(verb, verb.replace('_', ' ').capitalize())} {what}"


def value_words(value) -> str:
    """A stored value as people read it: moments as ``YYYY-MM-DD HH:MM`` (UTC), yes/no, lists joined."""
    if value in (None, ""):
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_FIELD_WORDS[k](v) if k in _FIELD_WORDS else value_words(v)}" for k, v in value.items())
    text = str(value)
    moment = _ISO_MOMENT.match(text)
    if moment:
        zone = moment.group(5)
        return f"{moment.group(1)} {moment.group(2)}" + (" UTC" if zone in ("Z", "+00:00", "+0000") else (f" ({zone})" if zone else ""))
    return text


def _choice_labels(model) -> dict[str, dict]:
    """{field name: {stored value: label}} of a model's fields with choices ("fulfilled_late" → "Fulfilled late")."""
    if model is None:
        return {}
    return {f.name: {k: str(v) for k, v in f.flatchoices} for f in model._meta.concrete_fields if f.choices}


def describe(summary, model=None) -> list[tuple[str, str]]:
    """(field, "old → new" or the value) pairs of an entry's summary, for people to read.

    With ``model``, a field with choices shows its labels rather than the stored codes."""
    if not isinstance(summary, dict):
        return [("", str(summary))]
    labels = _choice_labels(model)
    lines = []
    for field, value in summary.items():
        label = field.replace("_", " ").capitalize()

        def words(v, field=field):
            choices = labels.get(field, {})
            return choices[v] if isinstance(v, str | int) and v in choices else value_words(v)

        if field in _FIELD_WORDS and not isinstance(value, list | dict):
            lines.append((label, _FIELD_WORDS[field](value)))
        elif isinstance(value, list) and len(value) == 2:  # services journal changes as [old, new]
            lines.append((label, f"{words(value[0])} → {words(value[1])}"))
        else:
            lines.append((label, words(value)))
    return lines
