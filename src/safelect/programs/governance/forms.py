"""Forms of the governance pages, and the plain-text format of guideline sections.

Sections are written as text: each starts with a line ``## Heading``; an optional next line
``Covers: S.2261 §5(d)(1), S.2261 §5(d)(2)`` ties it to the content the statute requires."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from safelect.core.web.forms import LocalMoment, UswdsForm

from .guidelines import CONSULTEES, FACTORS
from .models import GuidelineVersion, Member
from .plan import TOPICS

_COVERS = re.compile(r"^covers:\s*(.*)$", re.IGNORECASE)


def parse_sections(text: str) -> list[dict]:
    sections: list[dict] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            sections.append({"heading": line[3:].strip(), "text": "", "covers": []})
        elif not sections:
            if line.strip():
                raise ValidationError({"sections": "Start each section with a line '## Heading'."})
        elif not sections[-1]["text"] and not sections[-1]["covers"] and _COVERS.match(line.strip()):
            sections[-1]["covers"] = [c.strip() for c in _COVERS.match(line.strip()).group(1).split(",") if c.strip()]
        else:
            sections[-1]["text"] += line + "\n"
    return [{**s, "text": s["text"].strip()} for s in sections]


def format_sections(sections: list[dict]) -> str:
    parts = []
    for s in sections:
        head = f"## {s['heading']}\n"
        if s.get("covers"):
            head += f"Covers: {', '.join(s['covers'])}\n"
        parts.append(head + s["text"])
    return "\n\n".join(parts)


class VersionForm(UswdsForm):
    title = forms.CharField(max_length=300)
    cycle = forms.ChoiceField(choices=GuidelineVersion.Cycle.choices)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    sections = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Start each section with '## Heading'; a next line 'Covers: S.2261 §5(d)(1)' names the required content it covers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for cite, words in FACTORS.items():
            self.fields[f"factor_{cite}"] = forms.CharField(
                label=f"{cite}: {words}", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"})
            )

    def factors(self) -> dict:
        return {cite: self.cleaned_data.get(f"factor_{cite}", "") for cite in FACTORS}


class ConsultationForm(UswdsForm):
    entity = forms.ChoiceField(choices=list(CONSULTEES.items()), label="Who was consulted (S.2261 §5(g))")
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(UswdsForm):
    name = forms.CharField(max_length=200)
    appointed_by = forms.ChoiceField(choices=Member.Appointer.choices)
    expertise = forms.CharField(max_length=300, help_text="Comma-separated: cybersecurity, election law, election administration…")
    appointed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    term_ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    office = forms.ChoiceField(choices=Member.Office.choices)
    federal_employee = forms.BooleanField(required=False, label="An officer or employee of the United States")


class MeetingForm(UswdsForm):
    title = forms.CharField(max_length=200)
    held_at = LocalMoment(label="When")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(required=False, initial=True, label="Open to the public")
    protection = forms.CharField(required=False, max_length=300, label="If closed: what protects it")


class TaskForm(UswdsForm):
    title = forms.CharField(max_length=300)
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    cost = forms.CharField(label="Projected cost (dollars)")
    metric = forms.CharField(max_length=300)
    target = forms.CharField()
    unit = forms.CharField(required=False, max_length=40)


class ObjectiveForm(UswdsForm):
    title = forms.CharField(max_length=300)
    strategy_topic = forms.ChoiceField(choices=[(t, t) for t in TOPICS], label="Strategy consideration it answers")
