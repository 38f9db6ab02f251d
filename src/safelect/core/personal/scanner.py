"""The personal-data scanner: finds voters' personal information in text (S.2261 §4(g)).

§4(g) asks the national office to protect "personal information" when it shares what it learns.
Before anything leaves the circle that may see it whole, its text is scanned here and each finding
is shown to a person who redacts it or keeps it with a reason (:mod:`.services`).

What is found, and by what:

* **Microsoft Presidio's pattern recognisers** (``presidio-analyzer``; its pattern recognisers
  only: no language model is loaded or downloaded): US Social Security numbers, email addresses
  (the domain checked against the public-suffix snapshot bundled with ``tldextract``, never fetched),
  phone numbers (Google's ``phonenumbers``), US driver's licence numbers.
* **Our own recognisers** for what election records hold: voter ID / registration numbers (the
  number next to words such as "voter ID", "VUID", "registration number"), dates of birth (a date
  next to "DOB", "born", "date of birth"), street addresses and PO boxes, and names of people that
  stand next to a date of birth (a name alone is not a voter's record; a name with a date of birth
  is how voter files identify a person).
* **Tables**: a CSV, TSV or pipe-separated extract whose header names voter-file columns
  (``first_name``, ``dob``, ``voter_id``, ``res_address``…) has every cell of those columns flagged.

Presidio scores a match without context low; as Presidio's own context enhancer would (it needs a
language model), a match within :data:`CONTEXT_WINDOW` characters after one of its recogniser's
context words gains :data:`CONTEXT_BOOST`. Findings below :data:`MIN_SCORE` are dropped; overlapping
findings keep the most confident (then the longest). The module is pure: no Django, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

KINDS = {
    "person_name": "Name of a person (with a date of birth)",
    "date_of_birth": "Date of birth",
    "ssn": "Social Security number",
    "driver_licence": "Driver's licence number",
    "voter_id": "Voter ID or registration number",
    "address": "Street address",
    "phone": "Phone number",
    "email": "Email address",
}
MIN_SCORE = 0.4
CONTEXT_BOOST = 0.35
CONTEXT_WINDOW = 40
NAME_DOB_DISTANCE = 80  # a name this close to a date of birth (same line) is a voter's record
MAX_SCAN_CHARACTERS = 30_000_000  # bigger than any evidence file (25 MB) can be


@dataclass(frozen=True, order=True)
class Finding:
    """One piece of personal information: ``text[start:end]`` is of ``kind`` (a :data:`KINDS` code)."""

    start: int
    end: int
    kind: str
    score: float
    how: str  # which recogniser found it, for the reviewer ("Presidio: US SSN", "voter-file column dob"…)

    @property
    def label(self) -> str:
        return KINDS[self.kind]


# --- Presidio's recognisers, used without a language model --------------------------------------


@cache
def _presidio():
    """Presidio's pattern recognisers, created once (importing Presidio takes about a second)."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UsLicenseRecognizer, UsSsnRecognizer

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # the bundled snapshot; never fetched

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str):
            return offline(pattern_text.rsplit("@", 1)[-1]).fqdn != ""

    return [
        ("ssn", "Presidio: US Social Security number", UsSsnRecognizer()),
        ("email", "Presidio: email address", OfflineEmailRecognizer()),
        ("phone", "Presidio: phone number", PhoneRecognizer(supported_regions=("US",))),
        ("driver_licence", "Presidio: US driver's licence", UsLicenseRecognizer()),
    ]


def _with_context(text: str, start: int, score: float, words: Iterable[str]) -> float:
    before = text[max(0, start - CONTEXT_WINDOW) : start].lower()
    if any(re.search(rf"\b{re.escape(word.lower())}\b", before) for word in words):
        return min(1.0, score + CONTEXT_BOOST)
    return score


# Presidio's phone recogniser runs Google's matcher over the whole text (about 2 s a megabyte); it is
# given only the stretches that could hold a phone number, each with a margin, which finds the same.
_PHONE_CANDIDATE = re.compile(r"[+(]?\d[\d\s().-]{8,20}\d")
_PHONE_MARGIN = 4


_LICENCE_WORDS = re.compile(r"\b(?:driver|licen[cs]e|DL|DLN|lic)\b", re.IGNORECASE)


def _windows(text: str, kind: str):
    """(offset, part of the text) to give a recogniser: the whole text, the stretches after licence
    words (only licence numbers with context are kept), or a phone number's candidates."""
    if kind == "driver_licence":
        for m in _LICENCE_WORDS.finditer(text):
            yield m.start(), text[m.start() : m.end() + CONTEXT_WINDOW + 30]
        return
    if kind != "phone":
        yield 0, text
        return
    for m in _PHONE_CANDIDATE.finditer(text):
        if sum(c.isdigit() for c in m.group()) >= 10:
            lo = max(0, m.start() - _PHONE_MARGIN)
            yield lo, text[lo : m.end() + _PHONE_MARGIN]


def _presidio_findings(text: str) -> list[Finding]:
    found = []
    for kind, how, recogniser in _presidio():
        results = [
            (offset + r.start, offset + r.end, r.score)
            for offset, part in _windows(text, kind)
            for r in recogniser.analyze(part, recogniser.supported_entities, None)
        ]
        for start, end, raw in results:
            score = _with_context(text, start, raw, recogniser.context)
            if kind == "driver_licence" and score < MIN_SCORE + CONTEXT_BOOST - 0.01:
                continue  # licence formats match any word with digits: only next to licence words
            found.append(Finding(start, end, kind, round(score, 2), how))
    return found


# --- Our recognisers ----------------------------------------------------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|(?:{_MONTHS})\.? \d{{1,2}},? (?:19|20)\d{{2}})"
_DOB = re.compile(rf"\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?)\b[\s:#=.-]*(?P<date>{_DATE})", re.IGNORECASE)
_VOTER_ID = re.compile(
    r"\b(?:voter[ _-]?(?:id|identification|reg(?:istration)?)?(?:[ _-]?(?:no|number|num|#))?|vuid|sos[ _-]?(?:voter[ _-]?)?id|"
    r"registration (?:no|number|#)|reg(?:istration)?[ _-]?(?:no|num|number|#|id))\b[\s:#=.-]*(?P<id>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])\b",
    re.IGNORECASE,
)
_LICENCE = re.compile(
    r"\b(?:DL|DLN|driver'?s?\s+licen[cs]e(?:\s+(?:no|number|#))?)\b[\s:#=.-]*(?P<id>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,20}[A-Z0-9])\b",
    re.IGNORECASE,
)
_SUFFIX = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Circle|Cir|Terrace|Ter|"
    r"Highway|Hwy|Parkway|Pkwy|Trail|Trl|Square|Sq|Loop|Pike|Route|Rte"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+)?(?:[A-Z0-9][A-Za-z0-9'.-]*\s+){{1,4}}(?:{_SUFFIX})\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[A-Za-z0-9-]+)?"
    r"(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})?(?:,?\s+[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?"
    r"|\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b"
)
_NOT_NAMES = {
    *(m.lower() for m in _MONTHS.split("|")),
    *["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    *[
        "county",
        "state",
        "city",
        "town",
        "board",
        "election",
        "elections",
        "office",
        "department",
        "secretary",
        "clerk",
        "voter",
        "voters",
        "dob",
        "date",
        "birth",
    ],
    *[
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "to",
        "voted",
        "registered",
        "name",
        "address",
        "phone",
        "email",
        "id",
        "number",
        "street",
    ],
    *["ssn", "dl", "dln", "vuid", "apt", "unit", "suite", "ward", "precinct"],
    *(w.lower() for w in _SUFFIX.split("|")),
}
# A run of capitalised words ("Jane Q. Doe", "DOE, Jane"); the words that are not names are trimmed off its ends.
_CAPITALISED = re.compile(r"\b(?:[A-Z][A-Za-z'’-]*\.?)(?:,?[ \t]+[A-Z][A-Za-z'’-]*\.?){1,4}")


def _dates_of_birth(text: str) -> list[Finding]:
    return [
        Finding(m.start("date"), m.end("date"), "date_of_birth", 0.85, "date next to 'date of birth' words") for m in _DOB.finditer(text)
    ]


def _voter_ids(text: str) -> list[Finding]:
    return [Finding(m.start("id"), m.end("id"), "voter_id", 0.85, "number next to 'voter ID' words") for m in _VOTER_ID.finditer(text)]


def _licences(text: str) -> list[Finding]:
    return [
        Finding(m.start("id"), m.end("id"), "driver_licence", 0.85, "number next to 'driver's licence' words")
        for m in _LICENCE.finditer(text)
    ]


def _addresses(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), "address", 0.8, "street address pattern") for m in _ADDRESS.finditer(text)]


def _names_near(text: str, births: list[Finding]) -> list[Finding]:
    """Names of people on the same line as, and close to, a date of birth."""
    found = []
    for birth in births:
        line_start = text.rfind("\n", 0, birth.start) + 1
        line_end = text.find("\n", birth.end)
        line_end = len(text) if line_end < 0 else line_end
        lo, hi = max(line_start, birth.start - NAME_DOB_DISTANCE), min(line_end, birth.end + NAME_DOB_DISTANCE)
        for m in _CAPITALISED.finditer(text, lo, hi):
            words = [w for w in re.finditer(r"[A-Za-z'’-]+\.?|,", m.group())]
            while words and (words[0].group() == "," or words[0].group().rstrip(".").lower() in _NOT_NAMES):
                words.pop(0)
            while words and (words[-1].group() == "," or words[-1].group().rstrip(".").lower() in _NOT_NAMES):
                words.pop()
            if sum(len(w.group().rstrip(".")) > 1 for w in words) < 2 or any(w.group().rstrip(".").lower() in _NOT_NAMES for w in words):
                continue
            found.append(
                Finding(m.start() + words[0].start(), m.start() + words[-1].end(), "person_name", 0.75, "name beside a date of birth")
            )
    return found


# --- Voter-file extracts ------------------------------------------------------------------------

_COLUMNS = [
    ("ssn", r"ssn|social.?security|ss.?num"),
    ("date_of_birth", r"dob|birth.?date|date.?of.?birth|birth.?year|born"),
    (
        "voter_id",
        r"voter.?id|voterid|vuid|voter.?(?:reg|registration).?(?:no|num|number|id)?|reg(?:istration)?.?(?:no|num|number|id)|sos.?id|state.?voter.?id",
    ),
    ("driver_licence", r"dl|dln|driver.?s?.?licen[cs]e.*|dl.?(?:no|num|number)"),
    ("person_name", r"(?:first|last|middle|full|given|sur|family)?.?name|name.?(?:first|last|middle|suffix)|fname|lname|mname|surname"),
    (
        "address",
        r"(?:res|residence|residential|mail|mailing|street|home)?.?addr(?:ess)?.?\d?|street|house.?(?:no|num|number)|street.?name|unit|apt|zip(?:code)?|city",
    ),
    ("phone", r"phone|telephone|tel|mobile|cell"),
    ("email", r"e.?mail(?:.?address)?"),
]


def _column_kind(header: str) -> str | None:
    name = header.strip().strip('"').strip().lower()
    for kind, pattern in _COLUMNS:
        if re.fullmatch(pattern, name):
            return kind
    return None


def _cells(line: str, offset: int, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a delimited line, quotes honoured, surrounding quotes and spaces excluded."""
    cells = []
    for m in _cell_pattern(delimiter).finditer(line):
        a, b = m.span(1)
        while a < b and line[a] in ' "':
            a += 1
        while b > a and line[b - 1] in ' "\r':
            b -= 1
        cells.append((offset + a, offset + b))
    return cells


@cache
def _cell_pattern(delimiter: str) -> re.Pattern:
    d = re.escape(delimiter)
    return re.compile(rf'(?:^|{d})(\s*"(?:[^"]|"")*"\s*|[^{d}\n]*)')


def _table(text: str) -> list[Finding]:
    """Every cell of a voter-file column in a delimited extract (the first line is its header)."""
    first_end = text.find("\n")
    header = text[: first_end if first_end >= 0 else len(text)]
    delimiter = max(",\t|;", key=header.count)
    if header.count(delimiter) < 1:
        return []
    columns = [text[a:b] for a, b in _cells(header, 0, delimiter)]
    kinds = {i: kind for i, name in enumerate(columns) if (kind := _column_kind(name))}
    if not kinds:
        return []
    found, offset = [], first_end + 1
    while 0 < offset <= len(text):
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        for i, (a, b) in enumerate(_cells(text[offset:end], offset, delimiter)):
            if i in kinds and b > a:
                found.append(Finding(a, b, kinds[i], 0.95, f"voter-file column {columns[i]}"))
        offset = end + 1
    return found


# --- The scan -----------------------------------------------------------------------------------


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings: the most confident wins, then the longest; the result is in text order.

    Findings are grouped into runs that overlap one another (a sweep in text order); within a run
    the most confident are kept first, as a greedy choice over the whole text would."""
    kept: list[Finding] = []
    run: list[Finding] = []
    run_end = -1
    for f in sorted(f for f in findings if f.score >= MIN_SCORE):
        if run and f.start >= run_end:
            kept.extend(_choose(run))
            run = []
        run.append(f)
        run_end = max(run_end, f.end) if len(run) > 1 else f.end
    kept.extend(_choose(run))
    return sorted(kept)


def _choose(run: list[Finding]) -> list[Finding]:
    chosen: list[Finding] = []
    for f in sorted(run, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return chosen


def scan(text: str) -> list[Finding]:
    """The personal information in ``text``, in text order, without overlaps."""
    if not text:
        return []
    if len(text) > MAX_SCAN_CHARACTERS:
        raise ValueError(f"text of {len(text)} characters is over the scanner's limit of {MAX_SCAN_CHARACTERS}")
    births = _dates_of_birth(text)
    findings = [
        *_presidio_findings(text),
        *births,
        *_voter_ids(text),
        *_licences(text),
        *_addresses(text),
        *_names_near(text, births),
        *_table(text),
    ]
    return _merge(findings)


def redact(text: str, spans: Iterable[tuple[int, int, str]], *, word: str = "removed") -> str:
    """``text`` with each (start, end, kind) span replaced by ``[<kind label> removed]``."""
    out, position = [], 0
    for start, end, kind in sorted(spans):
        if start < position:
            continue  # overlaps one already replaced
        out.append(text[position:start])
        out.append(f"[{KINDS.get(kind, 'Personal information')} {word}]")
        position = end
    out.append(text[position:])
    return "".join(out)
