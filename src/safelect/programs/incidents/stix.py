"""An incident as a STIX 2.1 bundle, with its indicators (S.2261 §4(d): what a share carries).

The bundle holds the reporting organization's identity (``created_by_ref`` of everything), the
national office's identity, the TLP 2.0 marking (TLP:AMBER+STRICT by default: the incident is for
those who may see it until a sharing decision releases it), the ``incident`` object, one
``indicator`` per IPv4 address, URL, domain or file hash named in the notices' technical text,
the indicators found in STIX bundles attached as evidence, and an ``indicates`` relationship from
each indicator to the incident. Texts are minimised (§4(g)): personal information that the review
did not explicitly keep is replaced by ``[<kind> removed]``. Ids are stable (the same incident
exports the same ids); ``modified`` is the latest notice's time, so each update is a new version.
"""

from __future__ import annotations

import datetime as dt
import json

import stix2

from safelect.core import stix as kit

from . import evidence as evidence_store
from .models import Incident
from .personal import minimised_sources
from .significance import national_office

DEFAULT_TLP = "amber+strict"


def _utc(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _evidence_indicators(incident: Incident) -> list[dict]:
    """Indicator objects from JSON evidence files that are STIX bundles (invalid files are skipped)."""
    found = []
    for file in incident.evidence.filter(media_type="application/json"):
        path = evidence_store.path_of(file.sha256)
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        objects = data.get("objects", []) if isinstance(data, dict) and data.get("type") == "bundle" else []
        for obj in objects:
            if isinstance(obj, dict) and obj.get("type") == "indicator":
                try:
                    found.append(stix2.parse(obj, allow_custom=True))
                except Exception:  # stix2 raises many kinds; a bad object in a partner's file is left out
                    continue
    return found


def bundle_of(incident: Incident, *, tlp: str = DEFAULT_TLP) -> dict:
    """The STIX 2.1 bundle of ``incident`` as a JSON-able dict."""
    marking = kit.tlp(tlp)
    reporter = kit.identity(incident.organization.key, incident.organization.name)
    office = national_office()
    office_identity = kit.identity(office.key, office.name)
    texts = minimised_sources(incident)
    notices = list(incident.notices.all())
    created = incident.created_at
    modified = max([created, *(n.submitted_at for n in notices)])
    latest = notices[-1] if notices else None
    parts = [texts.get("incident:how_learned", "")]
    if latest is not None:
        for field in ("circumstances", "information_acquired", "measures_planned", "measures_implemented"):
            parts.append(texts.get(f"notice:{latest.number}:{field}", ""))
    description = "\n\n".join(p for p in parts if p)
    common = dict(created_by_ref=reporter.id, object_marking_refs=[marking.id], allow_custom=True)
    incident_object = stix2.Incident(
        id=kit.stable_id("incident", "safelect", incident.reference),
        created=_utc(created),
        modified=_utc(modified),
        name=f"{incident.reference}: {incident.title}",
        description=description or incident.title,
        external_references=[{"source_name": "safelect", "external_id": incident.reference}],
        labels=incident.systems,
        x_safelect_stage=incident.stage,
        x_safelect_aware_at=_utc(incident.aware_at),
        x_safelect_discovered_at=_utc(incident.discovered_at) if incident.discovered_at else None,
        x_safelect_notified_at=_utc(incident.notified_at) if incident.notified_at else None,
        x_safelect_notified_late=incident.notified_late,
        **common,
    )
    technical = "\n".join(
        texts.get(f"notice:{n.number}:{field}", "")
        for n in notices
        for field in ("circumstances", "information_acquired", "measures_implemented")
    )
    indicators = [
        stix2.Indicator(
            id=kit.stable_id("indicator", pattern),
            created=_utc(created),
            modified=_utc(created),
            name=what,
            pattern=pattern,
            pattern_type="stix",
            valid_from=_utc(incident.aware_at),
            indicator_types=["malicious-activity"],
            **common,
        )
        for pattern, what in kit.observables_in(technical)
    ]
    indicators += _evidence_indicators(incident)
    relationships = [
        stix2.Relationship(
            id=kit.stable_id("relationship", indicator.id, "indicates", incident_object.id),
            created=_utc(created),
            modified=_utc(created),
            relationship_type="indicates",
            source_ref=indicator.id,
            target_ref=incident_object.id,
            **common,
        )
        for indicator in indicators
    ]
    bundle = stix2.Bundle(marking, reporter, office_identity, incident_object, *indicators, *relationships, allow_custom=True)
    return json.loads(bundle.serialize())
