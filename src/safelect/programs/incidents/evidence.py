"""Evidence files of an incident (logs, images, packet captures, indicator files): S.2261 §4(k)(2)
"technical data".

* **Size**: at most :data:`MAX_EVIDENCE_BYTES` (25 MB), refused before the file is read.
* **Type** is sniffed from the first bytes, never taken from the name or the browser: PNG and JPEG
  images, PDF, packet captures (pcap, pcapng), ZIP and gzip archives, and text (UTF-8 without NUL
  bytes: logs, CSV, JSON/STIX indicator files). Programs and scripts are refused by their
  signature (Windows, Linux and macOS executables, ``#!`` scripts); anything unrecognised is refused.
* **Integrity**: the SHA-256 of the content is recorded and shown, so a recipient can check a copy.
* **Storage** is the kernel's attachment store (:mod:`safelect.core.attachments`), area
  ``SAFELECT_HOME/evidence/``, outside the web root; files are never served as static files.
* **Serving**: only to those who may see the incident, always as a download
  (``Content-Disposition: attachment``, ``application/octet-stream``, ``nosniff`` and a sandboxing
  Content-Security-Policy), so a browser never renders or runs one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from safelect.core import attachments

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
POLICY = attachments.Policy(area="evidence", max_bytes=MAX_EVIDENCE_BYTES, noun="evidence files", scripts=False)
ALLOWED_WORDS = POLICY.accepted_words
EvidenceRefused = attachments.Refused


def evidence_root() -> Path:
    return POLICY.root()


def sniff(head: bytes) -> tuple[str, str]:
    """(media type, words) of a file from its first bytes; :class:`EvidenceRefused` when forbidden or unknown."""
    return POLICY.sniff(head)


def store(chunks, size: int) -> tuple[str, str, str, int]:
    """Write the file's chunks to the evidence store; (sha256, media type, words, size)."""
    return replace(POLICY, max_bytes=MAX_EVIDENCE_BYTES).store(chunks, size)  # the limit is read at call time


def path_of(sha256: str) -> Path:
    return POLICY.path_of(sha256)


def safe_name(name: str) -> str:
    return attachments.safe_name(name, "evidence")
