"""The two bills as a tree of provisions with stable citations: pure Python, text in, provisions out.

A bill is a list of sections; a section holds subsections ``(a)``, paragraphs ``(1)``,
subparagraphs ``(A)``, clauses ``(i)`` and subclauses ``(I)``. Markers are recognised by where they
stand (at the start of a provision, not after "paragraph" or "subsection", which introduce a
cross-reference) and by sequence: a marker is accepted only if it continues the numbering of a level
already open, or opens the next level down. Where a marker could be either — ``(i)`` after ``(h)``
may be subsection (i) or the first clause — the bill's typography decides: subsection headings are
in title case (S.2261) or small capitals (H.R. 5011), clause headings are not.

Citations follow the bills' own numbering: ``S.2261 §4(c)(1)``; sections H.R. 5011 inserts into
other Acts are cited by the inserted section's number with the amending section named, as the
registry does: ``H.R. 5011 §101 (HAVA §297C(2))`` is the provision ``H.R. 5011 §297C(2)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEVELS = ("subsection", "paragraph", "subparagraph", "clause", "subclause")
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]
REFERENCE_WORDS = re.compile(
    r"\b(?:paragraphs?|subparagraphs?|subsections?|sections?|clauses?|subclauses?|titles?|subtitles?|parts?)\s*$", re.I
)


@dataclass
class Provision:
    bill: str  # "S.2261" | "H.R. 5011"
    section: str  # "4", "297C"
    path: tuple[str, ...]  # markers below the section: ("c", "1")
    heading: str = ""
    text: str = ""
    section_title: str = ""
    amends: str = ""  # for sections inserted into another Act: "HAVA §297C" is inserted by "H.R. 5011 §101"
    defines: list[str] = field(default_factory=list)

    @property
    def citation(self) -> str:
        return f"{self.bill} §{self.section}" + "".join(f"({m})" for m in self.path)

    @property
    def level(self) -> str:
        return "section" if not self.path else LEVELS[len(self.path) - 1]

    def as_dict(self) -> dict:
        return {
            "citation": self.citation,
            "bill": self.bill,
            "section": self.section,
            "path": list(self.path),
            "level": self.level,
            "heading": self.heading,
            "text": self.text,
            "section_title": self.section_title,
            "amends": self.amends,
            "defines": self.defines,
        }


def _index(level: int, marker: str) -> int | None:
    """Position of ``marker`` in the numbering of ``level`` (1-based), or None if it is not of that level."""
    if level == 0:
        return ord(marker) - 96 if re.fullmatch(r"[a-z]", marker) else None
    if level == 1:
        return int(marker) if marker.isdigit() else None
    if level == 2:
        return ord(marker) - 64 if re.fullmatch(r"[A-Z]", marker) else None
    if level == 3:
        return ROMAN.index(marker) + 1 if marker in ROMAN else None
    if level == 4:
        return ROMAN.index(marker.lower()) + 1 if marker.isupper() and marker.lower() in ROMAN else None
    return None


def title_like(heading: str) -> bool:
    """A heading in title case or capitals (a subsection's), as opposed to a clause's sentence case."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", heading) if len(w) > 3]
    return bool(words) and (heading.isupper() or sum(w[0].isupper() for w in words) >= max(1, len(words) - 1))


class Tree:
    """Builds the provisions of one bill from a stream of section starts, markers and text."""

    def __init__(self, bill: str):
        self.bill = bill
        self.provisions: list[Provision] = []
        self.stack: list[str] = []  # the open markers: stack[level] for level < len(stack)
        self.levels: list[int] = []  # the level of each open marker
        self.section: Provision | None = None

    def start_section(self, number: str, title: str, amends: str = "") -> None:
        self.section = Provision(self.bill, number, (), section_title=title.strip().rstrip("."), amends=amends)
        self.provisions.append(self.section)
        self.stack, self.levels = [], []

    def choose(self, marker: str, heading: str) -> int | None:
        """The level ``marker`` opens here, or None if it cannot start a provision."""
        if self.section is None:
            return None
        candidates = []
        for depth, level in enumerate(self.levels):  # continuing the numbering of an open level
            if _index(level, marker) == (_index(level, self.stack[depth]) or 0) + 1:
                candidates.append((level, depth))
        deepest = self.levels[-1] if self.levels else -1
        below = range(len(LEVELS)) if not self.levels else range(deepest + 1, min(deepest + 2, len(LEVELS)))
        for level in below:  # opening the level below the deepest one (any level at a section's start)
            if _index(level, marker) == 1:
                candidates.append((level, len(self.levels)))
                break
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0][0]
        shallow, deep = min(candidates), max(candidates)
        if shallow[0] == 0 and heading and title_like(heading):  # "(i) Information Sharing About ..." is subsection (i)
            return shallow[0]
        if shallow[0] == 2 and deep[0] == 4:  # "(I)": the subclause under a clause, else subparagraph (I)
            return deep[0] if deepest >= 3 else shallow[0]
        return deep[0]

    def start(self, marker: str, level: int, heading: str, text: str) -> Provision:
        while self.levels and self.levels[-1] >= level:
            self.levels.pop()
            self.stack.pop()
        self.levels.append(level)
        self.stack.append(marker)
        found = Provision(
            self.bill,
            self.section.section,
            tuple(self.stack),
            heading=heading,
            text=text,
            section_title=self.section.section_title,
            amends=self.section.amends,
        )
        self.provisions.append(found)
        return found

    def append(self, text: str) -> None:
        if not self.provisions:
            return
        last = self.provisions[-1]
        last.text = f"{last.text} {text}".strip() if last.text else text.strip()


DEFINED = re.compile(r"(?:the term|the terms|a|an)\s+(?:``|‘‘|‘)([^'’`]+?)(?:''|’’|’)\s+(?:means|has the meaning|includes|is)\b", re.I)


def _split_heading(body: str, dash: str) -> tuple[str, str]:
    """("Designation of Responsible Federal Entity", "The Secretary shall ...") from the marker's text."""
    head, sep, rest = body.partition(dash)
    if sep and len(head) <= 200:
        return head.strip().rstrip("."), rest.strip()
    return "", body.strip()


SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "under", "upon", "into"]
)
KEEP_UPPER = frozenset(["DNI", "GAO", "EMP", "HAVA", "U.S.C."])


def small_title(heading: str) -> str:
    """A heading printed in capitals, in title case ("AVAILABILITY OF GRANTS" → "Availability of Grants")."""
    words = heading.split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if word in KEEP_UPPER:
            out.append(word)
        elif i and lower in SMALL_WORDS:
            out.append(lower)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(out)


def finish(provisions: list[Provision]) -> list[Provision]:
    for p in provisions:
        p.text = re.sub(r"\s+", " ", p.text).strip()
        p.heading = re.sub(r"\s+", " ", p.heading).strip()
        p.defines = list(dict.fromkeys(m.strip() for m in DEFINED.findall(p.text)))
    return provisions


# --- S.2261: the GPO text, one printed line per line ------------------------------------------------

SENATE_SECTION = re.compile(r"^(?:SECTION|SEC\.)\s+(\d+[A-Z]?)\.\s+(.*)$")
SENATE_MARKER = re.compile(r"^\((\w{1,5})\)\s*(.*)$")
SENATE_START = "Be it enacted by the Senate and House of Representatives"
SENATE_END = "<all>"


def senate_lines(raw: str) -> list[str]:
    """The bill's lines, without the summary above it and the web page's text below it."""
    lines = raw.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(SENATE_START))
    end = next(i for i, line in enumerate(lines) if line.strip() == SENATE_END)
    return [line.rstrip() for line in lines[start + 2 : end]]  # after the enacting clause's two lines


def parse_senate(raw: str) -> list[Provision]:
    tree = Tree("S.2261")
    previous = ""
    for line in senate_lines(raw):
        section = SENATE_SECTION.match(line)
        if section:
            tree.start_section(section.group(1), section.group(2))
            previous = line
            continue
        marker = SENATE_MARKER.match(line)
        level = None
        if marker and not REFERENCE_WORDS.search(previous):
            level = tree.choose(marker.group(1), marker.group(2).partition(".--")[0])
        if level is not None:
            tree.start(marker.group(1), level, "", marker.group(2))
        elif tree.section is not None and not tree.section.text and len(tree.provisions) and tree.provisions[-1] is tree.section:
            tree.section.text = line
        else:
            tree.append(line)
        previous = line
    for p in tree.provisions:
        if p.path:
            p.heading, p.text = _split_heading(re.sub(r"\s+", " ", p.text), ".--")
        p.section_title = small_title(p.section_title) if p.section_title.isupper() else p.section_title
    return finish(tree.provisions)


# --- H.R. 5011: PDF text on one line, with page furniture and line numbers ----------------------------

# The House Legislative Counsel's page furniture, token by token: the PDF extraction sometimes
# interleaves a page's last words with it, so it is removed piece by piece, not as one block.
FURNITURE = re.compile(
    r"G:\\VHLC\\\S+\.xml|February 14, 2018 \(9:44 a\.m\.\)|VerDate Nov 24 2008|09:44 Feb 14, 2018|Jkt 000000|\(684096 21\)"
    r"|PO 00000|Frm \d{5}|Fmt 6652|Sfmt \d{4}|C:\\USERS\\\S+?SAFELECT\."
)
PAGE_HEAD = re.compile(r"G:\\P\\15\\MISC\\SAFELECT\.XML(?: \d{1,3})?")
HOUSE_START = "Be it enacted by the Senate and House of Representa"
PAGE_BREAK = "\x00"  # where a page's furniture was: line numbers start again at 1
WORD_BREAK = "\x01"  # the same, inside a word ("indiG:\VHLC…" then "vidual")
KEEP_HYPHEN = ("non", "pre", "post", "self", "multi", "cyber", "anti", "risk", "well", "long", "short", "full", "part", "day")
GLUED = re.compile(r"^(.*[A-Za-z,;’'])(\d{1,2})$")


# Words the PDF extraction moved out of their line (into the page furniture), put back: (as found
# after the furniture is removed, as printed in the bill).
CORRECTIONS: list[tuple[str, str]] = [
    # §101: HAVA §297A(b) and the page break before §297B
    ("‘‘(1) IN this part, a ‘qualified paper ballot", "‘‘(1) IN GENERAL.—In this part, a ‘qualified paper ballot"),
    (
        "‘‘(2) ACCESSIBILITY UALS WITH DISABILITIES.—A individuals with disabilities",
        "‘‘(2) ACCESSIBILITY OF SYSTEMS FOR INDIVIDUALS WITH DISABILITIES.—A voting system used by individuals with disabilities",
    ),
    ("as for other voters. GENERAL.—In OF SYSTEMS FOR INDIVID- voting system used by ‘‘SEC. 297B.", "as for other voters. ‘‘SEC. 297B."),
    (
        "‘‘(1) IN purposes of this part, a ‘qualified election infrastructure vendor’",
        "‘‘(1) IN GENERAL.—For purposes of this part, a ‘qualified election infrastructure vendor’",
    ),
    ("the following requirements: GENERAL.—For ‘‘(A) The vendor", "the following requirements: ‘‘(A) The vendor"),
    # §102: headings whose words the extraction shuffled
    (
        "REQUIREMENTS VOTE ACT OF 2002. (a) DUTIES SION.—Section UNDER HELP AMERICA ELECTION ASSISTANCE COMMIS- OF 202 of",
        "REQUIREMENTS UNDER HELP AMERICA VOTE ACT OF 2002. (a) DUTIES OF ELECTION ASSISTANCE COMMISSION.—Section 202 of",
    ),
    (
        "(b) MEMBERSHIP CURITY ON ANCE BOARD OF OF SECRETARY ADVISORS OF OF HOMELAND SE- ELECTION ASSIST- COMMISSION.—Section",
        "(b) MEMBERSHIP OF SECRETARY OF HOMELAND SECURITY ON BOARD OF ADVISORS OF ELECTION ASSISTANCE COMMISSION.—Section",
    ),
    (
        "(c) REPRESENTATIVE OF DEPARTMENT OF HOMELAND SECURITY MENT COMMITTEE.—Section 221(c)(1) of such Act (52 ON TECHNICAL GUIDELINES DEVELOPU.S.C. 20961(c)(1))",
        "(c) REPRESENTATIVE OF DEPARTMENT OF HOMELAND SECURITY ON TECHNICAL GUIDELINES DEVELOPMENT COMMITTEE.—Section 221(c)(1) of such Act (52 U.S.C. 20961(c)(1))",
    ),
    (
        "(d) GOALS OF PERIODIC STUDIES MINISTRATION ISSUES; OF OF ELECTION AD- CONSULTATION WITH SECRETARY HOMELAND SECURITY.—Section",
        "(d) GOALS OF PERIODIC STUDIES OF ELECTION ADMINISTRATION ISSUES; CONSULTATION WITH SECRETARY OF HOMELAND SECURITY.—Section",
    ),
    (
        "(1) USE SECURITY IMPROVEMENTS.—Section OF PAYMENTS FOR VOTING SYSTEM 251(b) of",
        "(1) USE OF PAYMENTS FOR VOTING SYSTEM SECURITY IMPROVEMENTS.—Section 251(b) of",
    ),
    (
        "‘‘(3) PERMITTING ING SYSTEM SECURITY IMPROVEMENTS.—A may use a requirements payment to carry out any of the following activities: State ‘‘(A)",
        "‘‘(3) PERMITTING USE OF PAYMENTS FOR VOTING SYSTEM SECURITY IMPROVEMENTS.—A State may use a requirements payment to carry out any of the following activities: ‘‘(A)",
    ),
    (
        "PLANS FOR USE OF PAYMENTS.—Section U.S.C. 21004(a)(1)) is amended",
        "PLANS FOR USE OF PAYMENTS.—Section 254(a)(1) of such Act (52 U.S.C. 21004(a)(1)) is amended",
    ),
    (
        "infrastructure.’’. USE OF PAYMENTS FOR VOT- 254(a)(1) of such Act (52 (3) COMPOSITION OF COMMITTEE RESPONSIBLE FOR DEVELOPING STATE PLAN FOR USE OF PAYMENTS.—Section 21005) is amended— 255 of such Act (52 U.S.C. (A) by",
        "infrastructure.’’. (3) COMPOSITION OF COMMITTEE RESPONSIBLE FOR DEVELOPING STATE PLAN FOR USE OF PAYMENTS.—Section 255 of such Act (52 U.S.C. 21005) is amended— (A) by",
    ),
    # §121, §205, §302: line numbers and words out of place
    ("SEC. 20 121. ELECTION INFRASTRUCTURE", "SEC. 121. ELECTION INFRASTRUCTURE"),
    (
        "(b) PRIORITIZATION ENHANCE ELECTION SECU- RITY.— TO (1) IN GENERAL",
        "(b) PRIORITIZATION TO ENHANCE ELECTION SECURITY.— (1) IN GENERAL",
    ),
    ("‘‘(6) ELECTION term ‘election infrastructure’", "‘‘(6) ELECTION INFRASTRUCTURE.—The term ‘election infrastructure’"),
    ("election results), and INFRASTRUCTURE.—The other systems", "election results), and other systems"),
    ("(E) members shall be appointed by the 2 Speaker", "(E) 2 members shall be appointed by the Speaker"),
    ("(3) NO bers shall not receive", "(3) NO COMPENSATION FOR SERVICE.—Members shall not receive"),
    (
        "All mem- bers of the Commission shall be appointed no later COMPENSATION FOR SERVICE.—Memthan 60 days",
        "All members of the Commission shall be appointed no later than 60 days",
    ),
    (
        "(2) AUTHORITY COMMISSION.—Any if authorized by the Commission, take any action OF INDIVIDUALS TO ACT FOR member of the Commission may, that the Commission",
        "(2) AUTHORITY OF INDIVIDUALS TO ACT FOR COMMISSION.—Any member of the Commission may, if authorized by the Commission, take any action that the Commission",
    ),
    ("(1) HEARINGS Commission (or, on the authority", "(1) HEARINGS AND EVIDENCE.—The Commission (or, on the authority"),
    (
        "the Department of Homeland Security, the AND EVIDENCE.—The Election Assistance Commission",
        "the Department of Homeland Security, the Election Assistance Commission",
    ),
    ("(1) IN heads of appropriate departments", "(1) IN GENERAL.—The heads of appropriate departments"),
    ("the final report under paragraph GENERAL.—The (2), the Commission", "the final report under paragraph (2), the Commission"),
    ("(2) FINAL later than 18 months", "(2) FINAL REPORT.—Not later than 18 months"),
    (
        "TERMINATION.—During in paragraph (2), the Commission",
        "TERMINATION.—During the 60-day period described in paragraph (2), the Commission",
    ),
    (
        "providing testimony to REPORT.—Not the 60-day period described committees of Congress",
        "providing testimony to committees of Congress",
    ),
    ("(l) NONAPPLICABILITY MITTEE OF FEDERAL ADVISORY COM- ACT.—The", "(l) NONAPPLICABILITY OF FEDERAL ADVISORY COMMITTEE ACT.—The"),
    ("section of the Small 2 Business Act", "section 3 of the Small Business Act"),
    ("including a small 3 business concern", "including a small business concern"),
    ("composed of 10members appointed", "composed of 10 members appointed"),
]


def house_text(raw: str) -> str:
    """The bill's words after the enacting clause, without page furniture, line numbers or line-end hyphens."""
    body = raw[raw.index(HOUSE_START) :]
    body = re.sub(r"(?<=[a-z])(?=G:\\VHLC\\)", f" {WORD_BREAK} ", body)  # a word cut by the page: "indiG:\VHLC…"
    body = FURNITURE.sub(" ", body)
    body = PAGE_HEAD.sub(f" {PAGE_BREAK} ", body)
    tokens = body.split()
    out: list[str] = []
    expected, glue, broke = 1, False, False

    def emit(word: str) -> None:
        nonlocal glue, broke
        if glue and out:
            out[-1] += word
        elif broke and out and out[-1].endswith("-") and len(out[-1]) > 1 and out[-1][-2].isalpha() and _continues(out[-1][:-1], word):
            stem = out[-1][:-1]
            out[-1] = out[-1] + word if stem.lower().split("-")[-1] in KEEP_HYPHEN else stem + word
        else:
            out.append(word)
        glue = broke = False

    for i, token in enumerate(tokens):
        if token == PAGE_BREAK:
            expected, broke = 1, True
            continue
        if token == WORD_BREAK:
            glue = True
            continue
        if token.isdigit() and int(token) <= 26:
            run = _run_length(tokens, i)
            heading_next = i + 1 < len(tokens) and tokens[i + 1] in ("TITLE", "Subtitle", "SEC.", "‘‘SEC.")
            if (
                expected <= int(token) <= expected + 1
                or run >= 2
                or heading_next
                or (i > 0 and tokens[i - 1].isdigit() and int(tokens[i - 1]) <= 26)
            ):
                expected, broke = int(token) + 1, True
                continue
        glued = GLUED.match(token)
        if glued and expected <= int(glued.group(2)) <= expected + 3 and i + 1 < len(tokens) and _continues(glued.group(1), tokens[i + 1]):
            stem = glued.group(1)
            emit(stem + "-" if stem.lower().rsplit("-", 1)[-1] in KEEP_HYPHEN else stem)  # "risk3 limiting": a lost hyphen
            expected, glue = int(glued.group(2)) + 1, True
            continue
        emit(token)
    text = " ".join(out)
    for wrong, right in CORRECTIONS:
        if wrong not in text:
            raise ValueError(f"the correction {wrong!r} no longer applies: the source text changed")
        text = text.replace(wrong, right, 1)
    return text


def _continues(stem: str, word: str) -> bool:
    """Whether ``word`` continues a word cut at the end of a line: lower case, or capitals after capitals (a heading)."""
    letters = re.sub(r"[^A-Za-z]", "", stem)
    return word[:1].islower() or (bool(letters) and letters.isupper() and word[:1].isupper())


def _run_length(tokens: list[str], i: int) -> int:
    n = 0
    while i + n < len(tokens) and tokens[i + n].isdigit() and int(tokens[i + n]) <= 26:
        n += 1
    return n


HOUSE_SECTION = re.compile(r"(‘‘)?SEC(?:TION)?\.? (\d+[A-Z]?)\. ((?:[A-Z0-9][A-Z0-9,;’'()—-]*\.? )*?[A-Z0-9][A-Z0-9,;’'()—-]*)\.(?= )")
HOUSE_DIVISION = re.compile(
    r"(?:TITLE [IVX]+—[A-Z ,;’'-]+?|Subtitle [A-Z]—[A-Za-z ,;’'-]+?|‘‘PART \d+—[A-Z ,;’'-]+?)(?= (?:Subtitle|‘‘?SEC\.|SEC\.|TITLE|\d))"
)
HOUSE_MARKER = re.compile(r"(?<![\w)])(‘‘)?\((\w{1,5})\) ")
BOUNDARY = re.compile(r"(?:[.;:—]|’’\.?|’’;|\band|\bor|\bby|^)\s*$")


def parse_house(raw: str) -> list[Provision]:
    """H.R. 5011's provisions, with the sections it inserts into other Acts (HAVA §297–298, the
    Homeland Security Act §321) as provisions of their own, quoted markers belonging to them."""
    text = house_text(raw)
    text = text[text.index("SECTION 1.") :]
    text = HOUSE_DIVISION.sub(" ", text)
    tree = Tree("H.R. 5011")
    outer: tuple[Provision, list[str], list[int]] | None = None  # the amending section while inside an inserted one
    position = 0
    events = sorted(
        [(m.start(), "section", m) for m in HOUSE_SECTION.finditer(text)] + [(m.start(), "marker", m) for m in HOUSE_MARKER.finditer(text)],
        key=lambda e: e[0],
    )
    for start, kind, match in events:
        if start < position:
            continue
        before = text[position:start]
        if kind == "section":
            tree.append(before) if before.strip() else None
            quoted = bool(match.group(1))
            if quoted and tree.section is not None and not tree.section.amends:
                outer = (tree.section, list(tree.stack), list(tree.levels))
                amends = f"H.R. 5011 §{tree.section.section}"
            elif quoted and outer is not None:
                amends = f"H.R. 5011 §{outer[0].section}"
            else:
                outer, amends = None, ""
            tree.start_section(match.group(2), _title(match.group(3)), amends=amends)
            position = match.end() + 1
            continue
        quoted = bool(match.group(1))
        context = text[max(0, start - 40) : start]
        if REFERENCE_WORDS.search(context) or not BOUNDARY.search(context):
            continue
        if tree.section is not None and tree.section.amends and not quoted and outer is not None:
            # an unquoted marker after an inserted section: back in the amending section
            tree.append(before) if before.strip() else None
            before = ""
            tree.section, tree.stack, tree.levels = outer[0], outer[1], outer[2]
            outer = None
            position = start
        elif tree.section is not None and tree.section.amends and not quoted:
            continue
        elif tree.section is not None and not tree.section.amends and quoted:
            continue  # a paragraph quoted in an amendment is the amending provision's text
        rest = text[match.end() : match.end() + 300]
        level = tree.choose(match.group(2), rest.partition(".—")[0] if ".—" in rest[:200] else rest[:60])
        if level is None:
            continue
        if before.strip():
            tree.append(before)
        tree.start(match.group(2), level, "", "")
        position = match.end()
    tree.append(text[position:])
    for p in tree.provisions:
        body = re.sub(r"\s+", " ", p.text).strip()
        body = body.removeprefix("‘‘").strip()
        if p.path:
            heading, rest = _split_heading(body, ".—")
            if heading and re.sub(r"[^A-Za-z]", "", heading).isupper():  # House headings are in small capitals
                p.heading, p.text = small_title(heading), rest
            else:
                p.text = body
        else:
            p.text = body
        p.section_title = small_title(p.section_title) if p.section_title.isupper() else p.section_title
    return finish(tree.provisions)


def _title(heading: str) -> str:
    return re.sub(r"\s+", " ", heading).strip()
