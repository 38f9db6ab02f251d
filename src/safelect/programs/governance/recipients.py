"""Who receives a report: the catalog's recipient tokens resolved against the congress data the
directory loaded (``committees-current.yaml`` and ``legislators-current.yaml``, see
:mod:`safelect.core.directory.congress`). A committee missing from the data is reported as missing,
never silently dropped."""

from __future__ import annotations

from safelect.core.directory.congress import SEC3_2_COMMITTEES, congress_recipients
from safelect.core.directory.models import CongressCommittee

FIXED = {
    "president": ("office", "The President of the United States", "the President"),
    "congress": ("office", "The Congress (the Secretary of the Senate and the Clerk of the House)", "Congress"),
    "secretary": ("office", "The Secretary of Homeland Security (the Department)", "the Department"),
}


def _committee_name(committee: CongressCommittee) -> str:
    chamber = {"house": "House", "senate": "Senate", "joint": "Joint"}.get(committee.chamber, "")
    return committee.name if committee.name.startswith(chamber) else f"{chamber} {committee.name}".strip()


def resolve(tokens: tuple[str, ...] | list[str], cache: dict | None = None) -> list[dict]:
    """``[{"kind", "code", "name", "basis"}]`` in the order the statute lists them; a committee the
    congress data lacks comes back with ``"missing": True``. ``cache`` (a dict the caller keeps for one
    page) resolves each token once when many reports name the same recipients."""
    if cache is None:
        cache = {}
    out: list[dict] = []
    for token in tokens:
        if token not in cache:
            cache[token] = _resolve_one(token)
        out.extend(dict(r) for r in cache[token])
    return out


def _resolve_one(token: str) -> list[dict]:
    out: list[dict] = []
    if token == "sec3_2":
        found = congress_recipients()
        for code, cite in SEC3_2_COMMITTEES:
            committee = next((c for c in found.committees if c.code == code), None)
            if committee is None:
                out.append({"kind": "committee", "code": code, "name": code, "basis": cite, "missing": True})
            else:
                out.append({"kind": "committee", "code": code, "name": _committee_name(committee), "basis": cite})
        for title, person in found.leaders:
            out.append({"kind": "leader", "code": person.bioguide, "name": f"{title}: {person.name}", "basis": "S.2261 §3(2)"})
    elif token.startswith("committee:"):
        code = token.split(":", 1)[1]
        committee = CongressCommittee.objects.filter(code=code, is_current=True).first()
        if committee is None:
            out.append({"kind": "committee", "code": code, "name": code, "basis": "named in the section", "missing": True})
        else:
            out.append({"kind": "committee", "code": code, "name": _committee_name(committee), "basis": "named in the section"})
    elif token in FIXED:
        kind, name, basis = FIXED[token]
        out.append({"kind": kind, "code": token, "name": name, "basis": basis})
    else:
        raise ValueError(f"unknown recipient token {token!r}")
    return out
