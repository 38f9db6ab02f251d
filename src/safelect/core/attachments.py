"""The one attachment store: files people upload to a record (an incident's evidence, a
vulnerability report's proof of concept), kept outside the web root and never rendered.

* **Size** is checked before the file is read (the declared size) and again while it is read.
* **Type** is sniffed from the first bytes, never taken from the name or the browser. A
  :class:`Policy` names what an area accepts: images, PDF, packet captures, archives and text
  always; native programs (Windows, Linux, macOS executables) never; scripts (``#!``) only where
  the area says so (a proof of concept often is one).
* **Storage** is content-addressed under ``SAFELECT_HOME/<area>/`` by SHA-256, written to a
  temporary file first and moved into place whole, so a refused or interrupted upload leaves
  nothing behind.
* **Serving** is always a download (:func:`download`): ``application/octet-stream``,
  ``Content-Disposition: attachment``, ``nosniff`` and a sandboxing Content-Security-Policy, so a
  browser never renders or runs a stored file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404

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
PROGRAMS = [
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
]
SCRIPT = (b"#!", "a script")


class Refused(ValueError):
    """The file is too large or of a type the area does not accept; nothing was stored."""


@dataclass(frozen=True)
class Policy:
    """What one area of the store accepts."""

    area: str  # the directory under SAFELECT_HOME
    max_bytes: int
    noun: str  # "evidence files", "proof-of-concept files": for messages
    scripts: bool = False

    @property
    def accepted_words(self) -> str:
        text = "text (logs, CSV, JSON{})".format(", scripts and source code" if self.scripts else "")
        return f"{text}, PNG or JPEG images, PDF, packet captures (pcap), ZIP or gzip archives"

    def root(self) -> Path:
        return Path(settings.HOME) / self.area

    def sniff(self, head: bytes) -> tuple[str, str]:
        """(media type, words) of a file from its first bytes; :class:`Refused` when not accepted."""
        for signature, what in PROGRAMS:
            if head.startswith(signature):
                raise Refused(f"This file is {what}; programs are not accepted as {self.noun}.")
        if head.startswith(SCRIPT[0]) and not self.scripts:
            raise Refused(f"This file is {SCRIPT[1]}; programs and scripts are not accepted as {self.noun}.")
        for signature, media_type, words in KNOWN:
            if head.startswith(signature):
                return media_type, words
        if not head:
            raise Refused("The file is empty.")
        if b"\x00" not in head:
            try:
                text = head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                    raise Refused(f"The type of this file is not recognised. Accepted: {self.accepted_words}.") from None
                text = head[: exc.start].decode("utf-8")
            stripped = text.lstrip("\ufeff \t\r\n")
            if stripped.startswith(("{", "[")):
                return "application/json", "JSON (e.g. STIX indicators)"
            if stripped.startswith("#!"):
                return "text/plain", "script (text; never run)"
            return "text/plain", "text"
        raise Refused(f"The type of this file is not recognised. Accepted: {self.accepted_words}.")

    def store(self, chunks, size: int) -> tuple[str, str, str, int]:
        """Write the file's chunks to the store; (sha256, media type, words, size)."""
        limit_mb = self.max_bytes // (1024 * 1024)
        if size > self.max_bytes:
            raise Refused(f"The file is {size / 1024 / 1024:.1f} MB; {self.noun} may be at most {limit_mb} MB.")
        root = self.root()
        root.mkdir(parents=True, exist_ok=True)
        digest, written, head = hashlib.sha256(), 0, b""
        handle, temporary = tempfile.mkstemp(dir=root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    written += len(chunk)
                    if written > self.max_bytes:
                        raise Refused(f"The file is larger than {limit_mb} MB.")
                    if len(head) < SNIFF_BYTES:
                        head += chunk[: SNIFF_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            media_type, words = self.sniff(head)
            sha = digest.hexdigest()
            target = self.path_of(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            os.chmod(target, 0o640)
            return sha, media_type, words, written
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 digest")
        return self.root() / sha256[:2] / sha256

    def download(self, sha256: str, name: str) -> FileResponse:
        """The stored file as a download that a browser neither renders nor runs."""
        path = self.path_of(sha256)
        if not path.is_file():
            raise Http404("The stored file is missing")
        response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["X-Safelect-SHA256"] = sha256
        return response


def safe_name(name: str, default: str = "file") -> str:
    """The uploaded name for display and download: no path, no control characters, 200 characters."""
    base = Path(str(name or default).replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>').strip() or default
    return cleaned[:200]
