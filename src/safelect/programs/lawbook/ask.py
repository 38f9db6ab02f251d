"""Questions answered from the bills' text, with citations.

Retrieval: PostgreSQL full-text search (English stemming; headings weigh most) over the provisions,
with any of the question's content words, then a re-ranking that knows the structure of legal text:

* **coverage** — the share of the question's content words found in the provision or the headings
  above it (a provision answers a question about "register", "breach" and "notify" better when it
  has all three than when it repeats one);
* **defined terms** — a term the bills define ("election service provider") that the question uses
  must appear in the provision; a "what is …" question prefers the definition itself;
* **the kind of question** — "how long" / "when" / "deadline" prefers provisions with a clock ("not
  later than", "within", "days"); "who" prefers provisions that name recipients ("notify", "submit
  to", "share … with"); provisions that only amend another Act ("is amended by striking …") and
  tables of contents rank last.

The answer is made only of quotations (the top provision, and its listed items when it introduces a
list), clocks computed by the obligations registry for the asker's time zone from a duty whose
citation is the quoted provision, and fixed sentences. When nothing ranks high enough, the answer is
"The bills do not say." No sentence is generated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F
from django.utils import timezone

from safelect.core.obligations import registry
from safelect.core.obligations import services as obligations

from .citations import Index
from .models import Provision

STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "during",
        "each",
        "either",
        "else",
        "ever",
        "for",
        "from",
        "get",
        "gets",
        "getting",
        "give",
        "given",
        "go",
        "going",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "need",
        "needs",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "want",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "safelect",
        "bill",
        "bills",
        "law",
        "act",
        "say",
        "says",
        "said",
        "many",
        "much",
        "long",
    ]
)
CLOCK_WORDS = re.compile(
    r"\b(?:not later than|within \d+|calendar days?|days? (?:after|before)|hours?|months? after|years? after|every \d+ years)\b", re.I
)
WHO_WORDS = re.compile(
    r"\b(?:notify|notif\w+|submit\w*|share\w* (?:that )?information with|transmit\w*|report\w* to|to the appropriate)\b", re.I
)
AMENDING = re.compile(
    r"\bis amended\b|\bby striking\b|\bby redesignating\b|\bby inserting\b|\bby adding at the end\b|\btable of contents\b|\bis further amended\b",
    re.I,
)
NUMBER_WORDS = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
TIME_QUESTION = re.compile(
    r"\b(?:how long|when|deadline|how (?:many|much) time|how soon|by what date|how quickly|time limit|how many days)\b", re.I
)
WHO_QUESTION = re.compile(r"\bwho\b|\bwhom\b|\bwhich (?:agencies|officials|committees)\b", re.I)
AMOUNT_QUESTION = re.compile(r"\bhow much\b|\bamount\b|\bhow many dollars\b", re.I)
WHAT_IS = re.compile(r"^\s*(?:what (?:is|are|does)|define|definition of|meaning of)\b", re.I)
MIN_SCORE = 0.9
MIN_COVERAGE = 0.5
SYNONYMS = {
    "breach": ["incident", "accessed"],
    "breached": ["incident", "accessed"],
    "hack": ["incident", "cybersecurity"],
    "hacked": ["incident", "cybersecurity"],
    "vendor": ["provider", "vendor"],
    "vendors": ["provider", "vendor"],
    "county": ["local", "agency"],
    "counties": ["local", "agency"],
    "money": ["grant", "funds"],
    "funding": ["grant", "funds"],
    "apply": ["application"],
    "audit": ["audit"],
    "congress": ["congressional", "congress"],
    "clearance": ["clearance"],
    "report": ["report", "notify", "notification"],
    "tell": ["notify"],
    "inform": ["notify"],
    "deadline": ["later"],
    "registration": ["registration"],
    "expert": ["experts"],
}


@dataclass
class Ranked:
    provision: Provision
    score: float
    coverage: float
    why: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    kind: str  # quote | clock | template
    text: str
    citation: str = ""


@dataclass
class Answer:
    question: str
    found: bool
    citations: list[Ranked]
    sentences: list[Sentence]

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "citations": [
                {"citation": r.provision.citation, "heading": r.provision.heading or r.provision.section_title, "score": round(r.score, 3)}
                for r in self.citations
            ],
            "answer": [{"kind": s.kind, "text": s.text, "citation": s.citation} for s in self.sentences],
        }

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def _terms(question: str) -> list[str]:
    words = re.findall(r"[a-z][a-z'-]*", question.lower().replace("’", "'"))
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    terms = [w.strip("'-") for w in words if w not in STOP and len(w) > 2]
    extra = [s for w in terms for s in SYNONYMS.get(w, [])]
    return list(dict.fromkeys(terms + extra))


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "s", "y", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _defined_terms() -> list[str]:
    terms = set()
    for row in Provision.objects.exclude(defines=[]).values_list("defines", flat=True):
        terms.update(t.lower() for t in row)
    return sorted(terms, key=len, reverse=True)


def _context(p: Provision, by_id: dict[int, Provision]) -> str:
    """The headings above the provision (its section's title included)."""
    parts = [p.section_title]
    parent = by_id.get(p.parent_id) if p.parent_id else None
    while parent is not None:
        parts.append(parent.heading)
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return " ".join(parts).lower()


@dataclass
class _Corpus:
    """Document frequencies of word stems over all provisions (for weighting rare words up)."""

    size: int
    texts: dict[int, str]
    children: dict[int, list[int]]
    by_id: dict[int, Provision]

    counted: dict[str, int] = field(default_factory=dict)

    def df(self, stem: str) -> int:
        if stem not in self.counted:  # the weights ask twice for a word the bills lack
            self.counted[stem] = sum(1 for text in self.texts.values() if stem in text)
        return self.counted[stem]

    def weight(self, stem: str) -> float:
        return math.log((self.size + 1) / (self.df(stem) + 0.5))


def _corpus() -> _Corpus:
    rows = list(Provision.objects.all().only("pk", "heading", "text", "parent_id", "section_title", "citation", "path", "section", "bill"))
    children: dict[int, list[int]] = {}
    for row in rows:
        if row.parent_id:
            children.setdefault(row.parent_id, []).append(row.pk)
    return _Corpus(len(rows), {r.pk: f"{r.heading} {r.text} {r.section_title}".lower() for r in rows}, children, {r.pk: r for r in rows})


def rank(question: str, limit: int = 8) -> list[Ranked]:
    terms = _terms(question)
    if not terms:
        return []
    query = None
    for term in terms:
        q = SearchQuery(term, config="english")
        query = q if query is None else query | q
    rows = list(
        Provision.objects.annotate(fts=SearchRank(F("search"), query, normalization=1))
        .filter(search=query)
        .order_by("-fts", "position")[:120]
    )
    if not rows:
        return []
    corpus = _corpus()
    lowered = question.lower()
    used_defined = [t for t in _defined_terms() if re.search(rf"\b{re.escape(t)}s?\b", lowered)]
    time_q, who_q, what_q = bool(TIME_QUESTION.search(question)), bool(WHO_QUESTION.search(question)), bool(WHAT_IS.search(question))
    amount_q = bool(AMOUNT_QUESTION.search(question))
    counted = re.search(r"\bhow many ([a-z]+)", lowered)
    counted_stem = _stem(counted.group(1)) if counted and counted.group(1) not in ("days", "hours", "months", "years", "weeks") else ""
    synonyms = {s for v in SYNONYMS.values() for s in v}
    asked = [t for t in terms if t not in synonyms or re.search(rf"\b{re.escape(t)}\b", lowered)]
    stems = {t: _stem(t) for t in asked}
    # "breach" is found as "incident": a synonym counts as a whole word ("provider", not "provide")
    alternatives = {
        t: [re.compile(re.escape(s)), *(re.compile(rf"\b{re.escape(x)}") for x in SYNONYMS.get(t, []))] for t, s in stems.items()
    }
    weights = {t: corpus.weight(s) if corpus.df(s) else max(corpus.weight(x) for x in [s, *SYNONYMS.get(t, [])]) for t, s in stems.items()}
    total = sum(weights.values()) or 1.0
    pairs = [f"{a} {b}" for a, b in zip(asked, asked[1:], strict=False)]
    best: list[Ranked] = []
    top_fts = max(r.fts for r in rows) or 1.0
    for p in rows:
        above = _context(p, corpus.by_id)
        own = f"{p.heading} {p.text}".lower()
        listed = " ".join(corpus.texts[c] for c in corpus.children.get(p.pk, [])) if re.search(r"(--|—|:)\s*$", p.text) else ""
        context = f"{own} {listed} {above}"
        found = [t for t in stems if any(a.search(context) for a in alternatives[t])]
        coverage = sum(weights[t] for t in found) / total
        score = 0.6 * p.fts / top_fts + 2.0 * coverage
        why = [f"words {len(found)}/{len(stems)}"]
        in_heading = [t for t, s in stems.items() if s in p.heading.lower()]
        if in_heading:
            score += 0.35 * len(in_heading)
            why.append("heading")
        phrases = [pair for pair in pairs if pair in context]
        if phrases:
            score += 0.3 * len(phrases)
            why.append("phrases")
        for term in used_defined:
            if term in own:
                score += 0.3
                why.append(f"uses “{term}”")
            if what_q and term in [d.lower() for d in p.defines]:
                score += 1.5 if "has the meaning given" not in own else 0.3
                why.append("defines it")
        if what_q and re.search(r"\bmeans\b|\bis a\b", own) and any(re.search(rf"\b{re.escape(t)}\b", own) for t in used_defined):
            score += 0.3
        if time_q and CLOCK_WORDS.search(f"{p.text} {listed}"):
            score += 0.8
            why.append("has a clock")
        if who_q and WHO_WORDS.search(f"{p.text} {listed}"):
            score += 0.4
            why.append("names recipients")
        if amount_q and re.search(r"\$|\bamount\b|\bpercent\b", f"{p.heading} {p.text}", re.I):
            score += 0.5
            why.append("an amount")
        if counted_stem and re.search(rf"\b{NUMBER_WORDS}\s+{re.escape(counted_stem)}", own):
            score += 0.8
            why.append("a count")
        subject = corpus.by_id.get(_subsection_id(p, corpus.by_id))
        if subject is not None and subject.pk != p.pk:
            words = [w for w in re.findall(r"[a-z][a-z-]+", subject.heading.lower()) if w not in SMALL and len(w) > 3]
            if len(words) >= 3:
                unmatched = [w for w in words if not any(st in w for st in stems.values())]
                score -= 0.4 * len(unmatched) / len(words)
        if AMENDING.search(p.text) or p.citation == "H.R. 5011 §1(b)":
            score -= 1.0
            why.append("amends another Act")
        if not p.text.strip():
            score -= 0.5
        best.append(Ranked(p, score, coverage, why))
    best.sort(key=lambda r: (-r.score, r.provision.position))
    return best[:limit]


SMALL = frozenset(["with", "from", "for", "the", "and", "into", "under", "upon", "about"])


def _subsection_id(p: Provision, by_id: dict[int, Provision]) -> int | None:
    """The subsection (first level below the section) a provision belongs to."""
    current = p
    while current.parent_id and by_id.get(current.parent_id) is not None and len(by_id[current.parent_id].path) >= 1:
        current = by_id[current.parent_id]
    return current.pk if current.path else None


def _items(p: Provision) -> list[Provision]:
    """The listed items a provision introduces ("… share that information with—")."""
    if not re.search(r"(--|—|:)\s*$", p.text):
        return []
    return list(p.children.all().order_by("position"))


def _duty_clocks(p: Provision, zone: str, now: dt.datetime) -> list[Sentence]:
    index = Index([{"bill": p.bill, "section": p.section, "path": p.path, "amends": p.amends, "citation": p.citation}])
    out = []
    for duty in registry.all_duties():
        if duty.is_internal or duty.sense == "expiry" or index.resolve(duty.citation) is None:
            continue
        try:
            if duty.trigger.kind == "event":
                due = duty.due(now, zone, enactment=obligations.enactment(), overrides=obligations.policy_overrides())
                when = f"if {duty.trigger.describe()} were today, the end of {timezone.localtime(due, ZoneInfo(zone)):%B %-d, %Y}"
            elif duty.trigger.kind == "enactment":
                due = duty.due(None, zone, enactment=obligations.enactment(), overrides=obligations.policy_overrides())
                when = f"counting from the date of enactment set for this deployment ({obligations.enactment():%B %-d, %Y}), {timezone.localtime(due, ZoneInfo(zone)):%B %-d, %Y}"
            else:
                continue
        except (ValueError, TypeError):
            continue
        zone_words = zone.replace("_", " ")
        out.append(
            Sentence(
                "clock",
                f"Clock ({duty.title}): {duty.describe_rule(obligations.policy_overrides())} — {when}, in {zone_words}.",
                duty.citation,
            )
        )
    return out


def ask(question: str, *, zone: str = "America/New_York", now: dt.datetime | None = None) -> Answer:
    question = (question or "").strip()[:500]
    now = now or timezone.now()
    ranked = rank(question)
    if not ranked or ranked[0].score < MIN_SCORE or ranked[0].coverage < MIN_COVERAGE:
        return Answer(question, False, ranked[:3], [Sentence("template", "The bills do not say.")])
    top = ranked[0].provision
    sentences = [Sentence("template", f"{top.citation}{' (' + top.heading + ')' if top.heading else ''} says:", top.citation)]
    sentences.append(Sentence("quote", f"“{top.text}”", top.citation))
    for item in _items(top)[:8]:
        sentences.append(Sentence("quote", f"{item.marker} “{item.text}”", item.citation))
    sentences += _duty_clocks(top, zone, now)
    if len(ranked) > 1:
        sentences.append(Sentence("template", "See also: " + "; ".join(r.provision.citation for r in ranked[1:4]) + "."))
    return Answer(question, True, ranked, sentences)
