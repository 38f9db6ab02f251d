"""A provision's text with its defined terms linked to their definitions and its cross-references
("section 5(a)(1)", "subsection (h)") linked to the provisions they name, within the same bill.
References into other Acts ("section 3552 of title 44") are left as text."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Edition, Provision

_CACHE: dict[str, dict] = {}
REFERENCE = re.compile(
    r"\b(section|subsection|paragraph) (\d+[A-Z]?|\([a-z]\)|\(\d+\))((?:\([A-Za-z0-9]{1,5}\))*)(?! of (?:the|title|such|chapter))"
)


def _maps() -> dict:
    edition = Edition.objects.values_list("sha256", flat=True).first() or ""
    if edition not in _CACHE:
        rows = list(Provision.objects.values("citation", "bill", "section", "path", "defines"))
        terms: dict[str, list[tuple[str, str]]] = {}
        keys = set()
        for row in rows:
            keys.add((row["bill"], row["section"], tuple(row["path"])))
            for term in row["defines"]:
                terms.setdefault(row["bill"], []).append((term, row["citation"]))
        patterns = {}
        for bill in terms:
            terms[bill].sort(key=lambda t: -len(t[0]))
            # one pass per provision: capitalised terms ("State") match as written, the others in any case
            alternatives = "|".join(
                f"(?:{re.escape(term)})" if term[:1].isupper() else f"(?i:{re.escape(term)})" for term, _ in terms[bill]
            )
            patterns[bill] = re.compile(rf"(?<![\w‘`])(?:{alternatives})s?(?![\w’'])")
        _CACHE.clear()
        _CACHE[edition] = {
            "terms": terms,
            "keys": keys,
            "patterns": patterns,
            "lookup": {bill: {term.lower(): citation for term, citation in rows} for bill, rows in terms.items()},
        }
    return _CACHE[edition]


def current_maps() -> dict:
    return _maps()


def _slug(bill: str) -> str:
    return "s2261" if bill == "S.2261" else "hr5011"


def _href(bill: str, section: str, path: tuple[str, ...]) -> str:
    return reverse("lawbook:section", args=[_slug(bill), section]) + "#p-" + "-".join([section, *path])


def linked(p: Provision, maps: dict | None = None) -> SafeString:
    """``maps`` from :func:`current_maps` (read once per page; default: read now)."""
    maps = maps or _maps()
    text = str(escape(p.text))
    spans: list[tuple[int, int, str, str]] = []
    for match in REFERENCE.finditer(text):
        kind, first, rest = match.group(1), match.group(2), re.findall(r"\(([A-Za-z0-9]{1,5})\)", match.group(3))
        if kind == "section":
            section, path = first, tuple(rest)
        elif kind == "subsection" and p.path:
            section, path = p.section, (first.strip("()"), *rest)
        elif kind == "paragraph" and len(p.path) >= 1:
            section, path = p.section, (p.path[0], first.strip("()"), *rest)
        else:
            continue
        if (p.bill, section, path) in maps["keys"] and (section, path) != (p.section, tuple(p.path)):
            spans.append((match.start(), match.end(), _href(p.bill, section, path), ""))
    pattern, lookup, seen = maps["patterns"].get(p.bill), maps["lookup"].get(p.bill, {}), set()
    for match in pattern.finditer(text) if pattern else ():
        word = match.group(0).lower()
        citation = lookup.get(word) or lookup.get(word[:-1])
        if citation is None or citation == p.citation or citation in seen:
            continue
        seen.add(citation)  # each defined term linked once per provision
        if not any(a < match.end() and match.start() < b for a, b, _, _ in spans):
            section, _, rest = citation.split("§")[1].partition("(")
            path = tuple(re.findall(r"\((\w+)\)", "(" + rest)) if rest else ()
            spans.append((match.start(), match.end(), _href(p.bill, section, path), f"Defined in {citation}"))
    out, position = [], 0
    for start, end, href, title in sorted(spans):
        if start < position:
            continue
        out.append(text[position:start])
        hint = f' title="{escape(title)}"' if title else ""
        out.append(f'<a class="usa-link" href="{href}"{hint}>{text[start:end]}</a>')
        position = end
    out.append(text[position:])
    return mark_safe("".join(out))
