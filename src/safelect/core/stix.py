"""STIX 2.1 pieces every program shares: TLP 2.0 markings, stable ids, identities, indicators.

* **TLP 2.0** (FIRST, 2022) marking definitions as OASIS publishes them for STIX 2.1: the fixed ids
  and the ``tlp_2_0`` property extension. The ``stix2`` library ships only TLP 1.0 markings.
* **Stable ids**: the same safelect record always exports with the same STIX id (UUIDv5 under
  :data:`NAMESPACE`), so a partner who imports twice keeps one object per id and version.
* **Indicators from text**: IPv4 addresses, domain names, URLs and file hashes named in an
  incident's technical text become STIX patterns (:func:`observables_in`).

Pure: the ``stix2`` library only, no Django.
"""

from __future__ import annotations

import ipaddress
import re
import uuid

import stix2

NAMESPACE = uuid.UUID("5b7f6f2e-6a43-4c8e-9d0e-2f3c5e1a9b11")  # safelect's own; never change it
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def tlp(level: str) -> stix2.MarkingDefinition:
    """The TLP 2.0 marking definition of ``level`` (clear, green, amber, amber+strict, red)."""
    level = level.lower().removeprefix("tlp:")
    return stix2.MarkingDefinition(
        id=TLP_IDS[level],
        created="2022-10-01T00:00:00.000Z",
        name=f"TLP:{level.upper()}",
        extensions={TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}},
        allow_custom=True,
    )


def stable_id(stix_type: str, *key) -> str:
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, '/'.join(str(k) for k in (stix_type, *key)))}"


def identity(key: str, name: str, *, identity_class: str = "organization", sectors=("government-public-services",)) -> stix2.Identity:
    """An organization from the directory as a STIX identity (its id derives from its directory key)."""
    return stix2.Identity(
        id=stable_id("identity", key),
        name=name,
        identity_class=identity_class,
        sectors=list(sectors),
        created="2020-01-01T00:00:00.000Z",
        modified="2020-01-01T00:00:00.000Z",
    )


_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"\b(?=[a-z0-9-]{1,63}\.)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|gov|us|info|biz|io|ru|cn|xyz|top|online|site|co|me)\b",
    re.IGNORECASE,
)
_HASHES = [
    ("SHA-256", re.compile(r"\b[a-f0-9]{64}\b", re.IGNORECASE)),
    ("SHA-1", re.compile(r"\b[a-f0-9]{40}\b", re.IGNORECASE)),
    ("MD5", re.compile(r"\b[a-f0-9]{32}\b", re.IGNORECASE)),
]
# Documentation ranges and private networks are not indicators of anyone's attack on the Internet,
# but an agency's report names them for its own network: they are kept (the analyst decides).


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def observables_in(text: str) -> list[tuple[str, str]]:
    """(pattern, what) for every IPv4 address, URL, domain and file hash named in ``text``, once each."""
    found: dict[str, str] = {}
    urls = _URL.findall(text)
    for url in urls:
        url = url.rstrip(".,;:")
        found.setdefault(f"[url:value = '{_quoted(url)}']", f"URL {url}")
    for address in _IPV4.findall(text):
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            continue
        found.setdefault(f"[ipv4-addr:value = '{address}']", f"IPv4 address {address}")
    without_urls = _URL.sub(" ", text)
    for domain in _DOMAIN.findall(without_urls):
        if "@" in text[max(0, text.find(domain) - 1) : text.find(domain)]:
            continue  # the domain of an email address: personal, not an indicator
        found.setdefault(f"[domain-name:value = '{domain.lower()}']", f"domain {domain.lower()}")
    seen_hex: set[str] = set()
    for algorithm, pattern in _HASHES:
        for value in pattern.findall(text):
            if any(value.lower() in longer for longer in seen_hex):
                continue
            seen_hex.add(value.lower())
            found.setdefault(f"[file:hashes.'{algorithm}' = '{value.lower()}']", f"file with {algorithm} {value.lower()}")
    return list(found.items())


MAX_BUNDLE_OBJECTS = 10_000


def validation_errors(bundle) -> list[str]:
    """The OASIS ``stix2-validator``'s errors for a STIX 2.1 bundle (empty when valid).

    Anything that is not a bundle object is refused before the validator runs; so is a bundle of
    more than :data:`MAX_BUNDLE_OBJECTS` objects."""
    from stix2validator import ValidationOptions, validate_instance

    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        return ['This is not a STIX 2.1 bundle (an object with "type": "bundle").']
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        return ['The bundle\'s "objects" must be a list.']
    if len(objects) > MAX_BUNDLE_OBJECTS:
        return [f"The bundle has {len(objects)} objects; at most {MAX_BUNDLE_OBJECTS} are accepted at once."]
    result = validate_instance(bundle, ValidationOptions(version="2.1"))
    return [str(error) for error in result.errors]
