"""The review form every program shows for its findings (one mechanism): rows with each finding in
its context, the posted decisions, and the errors beside the finding they concern. The template is
``personal/_findings.html``; the owning program's view checks who may review and calls its own
service (which vouches for the actor to :func:`.services.decide`)."""

from __future__ import annotations

from collections.abc import Callable

from .models import Finding
from .services import excerpt


def posted_decisions(post, findings) -> dict[int, tuple[str, str]]:
    """``{finding id: (decision, reason)}`` from the form; "redact all pending" when asked."""
    if post.get("action") == "redact-pending":
        return {f.pk: (Finding.Decision.REDACT, "") for f in findings.filter(decision=Finding.Decision.PENDING)}
    decisions = {}
    for key, value in post.items():
        if key.startswith("decision-") and key[9:].isdigit():
            decisions[int(key[9:])] = (value, post.get(f"reason-{key[9:]}", ""))
    return decisions


def rows(findings, text_of: Callable[[str], str], *, post=None, errors: dict | None = None) -> list[dict]:
    """One row per finding: the excerpt around it, the current (or re-posted) choice and reason."""
    errors = errors or {}
    texts: dict[str, str] = {}
    out = []
    for f in findings:
        if f.source not in texts:
            texts[f.source] = text_of(f.source)
        before, found, after = excerpt(texts[f.source], f.start, f.end)
        posted = post.get(f"decision-{f.pk}") if (errors and post is not None) else None
        out.append(
            {
                "finding": f,
                "before": before,
                "found": found,
                "after": after,
                "errors": errors.get(f"finding-{f.pk}", []),
                "choice": posted or (f.decision if f.decision != Finding.Decision.PENDING else ""),
                "reason": post.get(f"reason-{f.pk}", f.reason) if (errors and post is not None) else f.reason,
            }
        )
    return out
