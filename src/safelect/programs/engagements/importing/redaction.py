"""Free text with FOIA redaction spans: one value for internal use and for release.

Free-text fields keep marked redaction spans with their FOIA exemption code (5 U.S.C. 552(b)(1)-(9):
(b)(5), (b)(6), ...), so the same record serves internal use and release.

A :class:`RedactedText` is a sequence of :class:`Segment` s: clear text, or a redacted span
with an exemption code and (if known) the withheld content.  In a *released* record the
content is gone: the released marker "(b) (6)" becomes a span whose content is unknown, and
the internal text shows the placeholder ``[withheld (b)(6)]`` in its place.

Three renderings:

* :meth:`RedactedText.internal` — the text staff see; :attr:`spans` are
  ``(start, end, exemption)`` offsets into it (a withheld span covers its placeholder);
* :meth:`RedactedText.foia` — the release: each span replaced by its exemption code;
* :meth:`RedactedText.marked` — lossless text for exports: known content as
  ``[[(b)(6)|content]]``, unknown content as the bare code.  :func:`parse_redacted` reads
  all three marker forms back (and the record's ``[REDACTED]``, exemption unspecified).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

UNSPECIFIED = "unspecified"
"""Exemption of a span released as ``[REDACTED]`` without a code."""

# "(b)(6)", "(b) (6)", "(b)(7)(C)".  A sub-paragraph letter is not taken when a further
# "(digit)" follows, so "(b) (6) (b) (5)" reads as two markers, not "(b)(6)(B)" + " (5)".
_CODE = r"\(\s*b\s*\)\s*\(\s*(\d)\s*\)(?:\s*\(\s*([A-Fa-f])\s*\)(?!\s*\(\s*\d))?"
_BARE_CODE = _CODE.replace("(\\d)", "\\d").replace("([A-Fa-f])", "[A-Fa-f]")
_MARKER = re.compile(
    r"\[\[\s*(?P<mcode>" + _BARE_CODE + "|" + UNSPECIFIED + r")\s*\|(?P<content>.*?)\]\]"
    # Anything else that opens with "[[" is malformed markup (an unknown code, a missing "|" or
    # "]]"): withheld to its "]]", or to the end of the text, never released.
    r"|(?P<bad>\[\[(?P<badcontent>.*?)(?:\]\]|\Z))"
    r"|(?P<code>" + _BARE_CODE + r")"
    r"|(?P<redacted>\[REDACTED\])",
    re.DOTALL,
)
_CODE_PARTS = re.compile(_CODE)


def canonical_code(text: str) -> str:
    """``"(b) (7) (c)"`` → ``"(b)(7)(C)"``; ``"[REDACTED]"``/``unspecified`` → ``unspecified``."""
    match = _CODE_PARTS.fullmatch(text.strip())
    if not match:
        return UNSPECIFIED
    sub = f"({match.group(2).upper()})" if match.group(2) else ""
    return f"(b)({match.group(1)}){sub}"


def _release_marker(code: str) -> str:
    return "[REDACTED]" if code == UNSPECIFIED else code


@dataclass(frozen=True)
class Segment:
    """Clear text (``exemption is None``) or a redacted span.

    For a redacted span, ``text`` is the withheld content, ``""`` when unknown (the span came
    from a released record).
    """

    text: str
    exemption: str | None = None

    @property
    def redacted(self) -> bool:
        return self.exemption is not None

    def internal(self) -> str:
        if self.exemption is None or self.text:
            return self.text
        if self.exemption == UNSPECIFIED:
            return "[withheld]"
        return f"[withheld {self.exemption}]"


@dataclass(frozen=True)
class RedactedText:
    """Free text with redaction spans; immutable, comparable, JSON-serialisable."""

    segments: tuple[Segment, ...] = ()

    @classmethod
    def clear(cls, text: str) -> RedactedText:
        return cls(_merge([Segment(text)]))

    def __bool__(self) -> bool:
        return bool(self.segments)

    def internal(self) -> str:
        """The text for internal use (withheld content shown as a placeholder)."""
        return "".join(segment.internal() for segment in self.segments)

    @property
    def spans(self) -> tuple[tuple[int, int, str], ...]:
        """``(start, end, exemption)`` of each redacted span, as offsets into :meth:`internal`."""
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for segment in self.segments:
            length = len(segment.internal())
            if segment.exemption is not None:
                spans.append((offset, offset + length, segment.exemption))
            offset += length
        return tuple(spans)

    @property
    def exemptions(self) -> tuple[str, ...]:
        """Distinct exemption codes used, in order of first use."""
        return tuple(dict.fromkeys(s.exemption for s in self.segments if s.exemption))

    def foia(self) -> str:
        """The released text: each redacted span replaced by its exemption code."""
        return "".join(_release_marker(s.exemption) if s.exemption else s.text for s in self.segments)

    def marked(self) -> str:
        """Lossless marked-up text; :func:`parse_redacted` reads it back to an equal value."""
        out = []
        for s in self.segments:
            if s.exemption is None:
                out.append(s.text)
            elif s.text:
                out.append(f"[[{s.exemption}|{s.text}]]")
            else:
                out.append(_release_marker(s.exemption))
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "segments": [{"text": s.text, "exemption": s.exemption} for s in self.segments],
            "internal": self.internal(),
            "foia": self.foia(),
            "spans": [list(span) for span in self.spans],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RedactedText:
        return cls(tuple(Segment(s["text"], s.get("exemption")) for s in data["segments"]))


def _merge(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    """Drop empty clear segments and join adjacent clear ones (a canonical form)."""
    out: list[Segment] = []
    for segment in segments:
        if segment.exemption is None:
            if not segment.text:
                continue
            if out and out[-1].exemption is None:
                out[-1] = Segment(out[-1].text + segment.text)
                continue
        out.append(segment)
    return tuple(out)


def parse_redacted(text: str) -> RedactedText:
    """Read text carrying redaction markers into a :class:`RedactedText`.

    Recognised: released markers ``(b) (6)``, ``(b)(7)(C)`` (any spacing/case) and
    ``[REDACTED]`` (content unknown), and the lossless ``[[(b)(6)|content]]``.  Never raises:
    malformed ``[[`` markup is withheld (exemption unspecified) up to its ``]]`` or the end of the
    text, so a typo can only withhold too much.  Write paths refuse such text first with
    :func:`redaction_problems`, which says what is wrong and where.
    """
    segments: list[Segment] = []
    position = 0
    for match in _MARKER.finditer(text):
        segments.append(Segment(text[position : match.start()]))
        if match.group("mcode"):
            segments.append(Segment(match.group("content"), canonical_code(match.group("mcode"))))
        elif match.group("bad") is not None:
            segments.append(Segment(match.group("badcontent"), UNSPECIFIED))
        elif match.group("code"):
            segments.append(Segment("", canonical_code(match.group("code"))))
        else:
            segments.append(Segment("", UNSPECIFIED))
        position = match.end()
    segments.append(Segment(text[position:]))
    return RedactedText(_merge(segments))


_LOOKS_LIKE_CODE = re.compile(r"\s*((?:\(\s*\w{1,2}\s*\)\s*){1,3})")


def redaction_problems(text: str) -> list[str]:
    """What is wrong with the ``[[code|withheld words]]`` markup of ``text`` (empty: nothing).

    Messages name the character position and the exemption code, never the withheld words.
    """
    if "[[" not in text and "]]" not in text:  # most cells: no lossless markup to check
        return []
    problems: list[str] = []
    for match in _MARKER.finditer(text):
        where = f"character {match.start() + 1}"
        if match.group("mcode"):
            if "[[" in match.group("content"):
                problems.append(f"{where}: a redaction span is opened inside another; close the first with ']]' before opening the next")
            continue
        if match.group("bad") is None:
            continue
        after = text[match.start() + 2 :].lstrip()
        code = _CODE_PARTS.match(after) or (re.match(UNSPECIFIED, after))
        closed = match.group(0).endswith("]]") and len(match.group(0)) >= 4
        if code is None:
            looks = _LOOKS_LIKE_CODE.match(after)
            named = f" {looks.group(1).strip()!r}" if looks else ""
            problems.append(
                f"{where}: unknown FOIA exemption code{named} after '[['; write [[(b)(6)|withheld words]] "
                "with an exemption (b)(1) to (b)(9), or [[unspecified|…]]"
            )
        elif not after[code.end() :].lstrip().startswith("|"):
            problems.append(
                f"{where}: the redaction span {canonical_code(code.group(0))} has no '|' between the code and the withheld words"
            )
        elif not closed:
            problems.append(f"{where}: the redaction span {canonical_code(code.group(0))} is not closed; add ']]' after the withheld words")
        else:
            problems.append(f"{where}: malformed redaction span {canonical_code(code.group(0))}")
    stray = text.count("]]") - sum(
        1 for m in _MARKER.finditer(text) if m.group(0).endswith("]]") and (m.group("mcode") or m.group("bad") is not None)
    )
    if stray > 0 and not problems:
        problems.append(f"character {text.index(']]') + 1}: ']]' closes no redaction span; open one with [[(b)(6)|…")
    return problems
