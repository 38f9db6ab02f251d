"""Citations of the bills on every page link to the provision they cite.

The page shell runs its content through :func:`link_citations`: each full citation in the page's
text ("S.2261 §4(c)(1)", "H.R. 5011 §205(b)", "H.R. 5011 §101 (HAVA §297C(2))") becomes a link to
the lawbook's ``/lawbook/cite/?c=…``, which opens the provision. Only text is touched — never a tag,
an attribute, or the inside of a link, button, form control, label or script — and nothing happens
when the lawbook app is not installed.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.apps import apps

CITATION = re.compile(
    r"(?:S\.2261|H\.R\. 5011) §\d+[A-Z]?(?:\([A-Za-z0-9]{1,5}\))*(?: \((?:HAVA|Homeland Security Act) §\d+[A-Z]?(?:\([A-Za-z0-9]{1,5}\))*\))?"
)
TAG = re.compile(r"(<[^>]*>)")
SKIP = frozenset({"a", "button", "label", "option", "select", "textarea", "script", "style", "title", "summary", "code"})
CITE_URL = "/lawbook/cite/?c="


def link_citations(html: str) -> str:
    if "§" not in html or not apps.is_installed("safelect.programs.lawbook"):
        return html
    out, skipping = [], []
    for part in TAG.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in SKIP and not part.endswith("/>"):
                if part.startswith("</"):
                    if skipping and skipping[-1] == name.group(1).lower():
                        skipping.pop()
                else:
                    skipping.append(name.group(1).lower())
            out.append(part)
        elif skipping or "§" not in part:
            out.append(part)
        else:
            out.append(CITATION.sub(lambda m: f'<a class="usa-link" href="{CITE_URL}{quote(m.group(0))}">{m.group(0)}</a>', part))
    return "".join(out)
