"""Evidence files of an incident (logs, images, packet captures, indicator files): S.2261 §4(k)(2)
"technical data".

* **Size**: at most :data:`MAX_EVIDENCE_BYTES` (25 MB), refused before the file is read.
* **Type** is sniffed from the first bytes, never taken from the name or the browser: PNG and JPEG
  images, PDF, packet captures (pcap, pcapng), ZIP and gzip archives, and text (UTF-8 without NUL
  bytes: logs, CSV, JSON/STIX indicator files). Programs and scripts are refused by their
  signature (Windows, Linux and macOS executables, ``#!`` scripts); anything unrecognised is refused.
* **Integrity**: the SHA-256 of the content is recorded and shown, so a recipient can check a copy.
* **Storage** is outside the web root, content-addressed under ``SAFELECT_HOME/evidence/``; files
  are never served as static files.
* **Serving**: only to those who may see the incident, always as a download
  (``Content-Disposition: attachment``, ``application/octet-stream``, ``nosniff`` and a sandboxing
  Content-Security-Policy), so a browser never renders or runs one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
SNIFF_BYTES = 8192

KNOWN = [
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG image"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG image"),
    (b"%PDF-", "application/pdf", "PDF document"),
    (b"\xd4\xc3\xb2\xa1", "application/vnd.tcpdump.pcap", "packet capture (pcap)"),
    (b"\xa1\xb2\xc3\xd4", "application/vnd.tcpdump.pcap", "packet capture (pcap)"),
    (b"\x4d\x3c\xb2\xa1", "application/vnd.tcpdump.pcap", "packet capture (pcap)"),
    (b"\x0a\x0d\x0d\x0a", "application/x-pcapng", "packet capture (pcapng)"),
    (b"PK\x03\x04", "application/zip", "ZIP archive"),
    (b"\x1f\x8b", "application/gzip", "gzip archive"),
]
FORBIDDEN = [
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
    (b"#!", "a script"),
]
ALLOWED_WORDS = "text logs, CSV or JSON indicator files, PNG or JPEG images, PDF, packet captures (pcap), ZIP or gzip archives"


class EvidenceRefused(ValueError):
    """The file is too large or of a type not accepted; nothing was stored."""


def evidence_root() -> Path:
    return Path(settings.HOME) / "evidence"


def sniff(head: bytes) -> tuple[str, str]:
    """(media type, words) of a file from its first bytes; :class:`EvidenceRefused` when forbidden or unknown."""
    for signature, what in FORBIDDEN:
        if head.startswith(signature):
            raise EvidenceRefused(f"This file is {what}; programs and scripts are not accepted as evidence.")
    for signature, media_type, words in KNOWN:
        if head.startswith(signature):
            return media_type, words
    if not head:
        raise EvidenceRefused("The file is empty.")
    if b"\x00" not in head:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                raise EvidenceRefused(f"The type of this file is not recognised. Accepted: {ALLOWED_WORDS}.") from None
            text = head[: exc.start].decode("utf-8")
        stripped = text.lstrip("\ufeff \t\r\n")
        if stripped.startswith(("{", "[")):
            return "application/json", "JSON (e.g. STIX indicators)"
        return "text/plain", "text"
    raise EvidenceRefused(f"The type of this file is not recognised. Accepted: {ALLOWED_WORDS}.")


def store(chunks, size: int) -> tuple[str, str, str, int]:
    """Write the file's chunks to the evidence store; (sha256, media type, words, size).

    The size is checked first (as declared by the upload) and again while reading."""
    if size > MAX_EVIDENCE_BYTES:
        raise EvidenceRefused(
            f"The file is {size / 1024 / 1024:.1f} MB; evidence files may be at most {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB."
        )
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    digest, written, head = hashlib.sha256(), 0, b""
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > MAX_EVIDENCE_BYTES:
                    raise EvidenceRefused(f"The file is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB.")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        media_type, words = sniff(head)
        sha = digest.hexdigest()
        target = path_of(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
        os.chmod(target, 0o640)
        return sha, media_type, words, written
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def path_of(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 digest")
    return evidence_root() / sha256[:2] / sha256


def safe_name(name: str) -> str:
    """The uploaded name for display and download: no path, no control characters, 200 characters."""
    base = Path(str(name or "evidence").replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>').strip() or "evidence"
    return cleaned[:200]
