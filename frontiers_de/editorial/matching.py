"""How well a reviewer's interests and past papers match a submission: a transparent score
with the terms that matched, so the editor sees why someone is suggested.

The text on each side is cut into terms the way the reader's search matches text
(:mod:`frontiers_de.folding`): folded (case, accents, compatibility forms), split into words,
Chinese cut into overlapping character pairs (学习分析 = 学习 + 习分 + 分析, as Chinese has no
spaces); short and very common English words are left out, and a final plural "s" is
dropped so "networks" meets "network".

The submission's terms are weighed by where they stand: a keyword counts 3, a title word 2,
an abstract word 1 (the highest where a term stands in several; the Chinese title, abstract
and keywords count the same). A reviewer's terms come from their research interests (the
profile field) and from the titles and keywords of the papers they reviewed (a submitted
review) or authored in the journal. Each shared term adds

    the submission's weight × its rarity × 2 if it is one of the reviewer's interests (else 1)

where the rarity is ``1 + ln(N / n)``: N reviewers in the pool, n of whom have the term (a
term every reviewer has counts 1; a rare one more). The score is the sum, to one decimal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from frontiers_de.folding import fold, is_cjk, split_scripts

KEYWORD, TITLE, ABSTRACT = 3, 2, 1
INTEREST_FACTOR = 2
MAX_SHOWN_TERMS = 8

# Where a reviewer's term came from, in the order shown.
FROM_INTERESTS = "interests"
FROM_REVIEWED = "reviewed"
FROM_AUTHORED = "authored"

_WORD = re.compile(r"\w+")
# Words that say nothing about a paper's subject (English; Chinese pairs are left as they
# are: a pair common to every profile has a rarity of 1 and adds little).
STOP_WORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "analysis",
        "and",
        "any",
        "approach",
        "are",
        "based",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "case",
        "could",
        "does",
        "doing",
        "during",
        "each",
        "effect",
        "effects",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "how",
        "however",
        "into",
        "its",
        "more",
        "most",
        "new",
        "not",
        "our",
        "out",
        "over",
        "paper",
        "per",
        "results",
        "role",
        "should",
        "some",
        "study",
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
        "under",
        "use",
        "used",
        "using",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
    ]
)


@dataclass(frozen=True)
class Term:
    """A comparable term (``key``) and how it was first written (``shown``, folded)."""

    key: str
    shown: str


def _word_key(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[Term]:
    """The terms of ``text``, in order, each once."""
    out: dict[str, Term] = {}
    for word in _WORD.findall(fold(text or "")):
        for part in split_scripts(word, quoted=False):
            if is_cjk(part[0]):
                if len(part) < 2:
                    continue  # one character says too little
                key = part
            else:
                if len(part) < 3 or part in STOP_WORDS or part.isdigit():
                    continue
                key = _word_key(part)
            out.setdefault(key, Term(key, part))
    return list(out.values())


@dataclass
class PaperProfile:
    """A submission's terms with their weights (keyword 3, title 2, abstract 1)."""

    weights: dict[str, int] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)

    def add(self, text: str, weight: int) -> None:
        for term in terms(text):
            if weight > self.weights.get(term.key, 0):
                self.weights[term.key] = weight
            self.shown.setdefault(term.key, term.shown)


def paper_profile(
    title: str, abstract: str, keywords: Iterable[str], translations: Mapping[str, object]
) -> PaperProfile:
    """The weighted terms of a paper: its title, abstract and keywords, in each language."""
    profile = PaperProfile()
    texts = [(title, abstract, list(keywords))]
    for extra in translations.values():
        if isinstance(extra, Mapping):
            words = extra.get("keywords") or []
            texts.append(
                (
                    str(extra.get("title") or ""),
                    str(extra.get("abstract") or ""),
                    [str(k) for k in words] if isinstance(words, list) else [],
                )
            )
    for one_title, one_abstract, one_keywords in texts:
        for keyword in one_keywords:
            profile.add(keyword, KEYWORD)
        profile.add(one_title, TITLE)
        profile.add(one_abstract, ABSTRACT)
    return profile


@dataclass
class ReviewerProfile:
    """A reviewer's terms and where each came from (interests, reviewed, authored)."""

    user_id: int
    sources: dict[str, set[str]] = field(default_factory=dict)

    def add(self, text: str, source: str) -> None:
        for term in terms(text):
            self.sources.setdefault(term.key, set()).add(source)


@dataclass(frozen=True)
class MatchedTerm:
    shown: str
    points: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A reviewer's score for a paper and the terms that made it, best first."""

    user_id: int
    score: float
    terms: tuple[MatchedTerm, ...]


def rarity(profiles: Iterable[ReviewerProfile]) -> dict[str, float]:
    """``1 + ln(N / n)`` for each term of the pool: N profiles, n of them with the term."""
    pool = list(profiles)
    counts: dict[str, int] = {}
    for profile in pool:
        for key in profile.sources:
            counts[key] = counts.get(key, 0) + 1
    return {key: 1 + math.log(len(pool) / n) for key, n in counts.items()}


def score(paper: PaperProfile, reviewer: ReviewerProfile, rare: Mapping[str, float]) -> Match:
    """How well ``reviewer`` matches ``paper`` (see the module's docstring)."""
    matched: list[MatchedTerm] = []
    for key, weight in paper.weights.items():
        sources = reviewer.sources.get(key)
        if not sources:
            continue
        factor = INTEREST_FACTOR if FROM_INTERESTS in sources else 1
        points = weight * rare.get(key, 1.0) * factor
        order = (FROM_INTERESTS, FROM_REVIEWED, FROM_AUTHORED)
        matched.append(
            MatchedTerm(paper.shown[key], points, tuple(s for s in order if s in sources))
        )
    matched.sort(key=lambda t: (-t.points, t.shown))
    total = round(sum(t.points for t in matched), 1)
    return Match(reviewer.user_id, total, tuple(matched))


def rank(paper: PaperProfile, reviewers: Iterable[ReviewerProfile]) -> list[Match]:
    """Every reviewer's match, best first (then by id, so equal scores keep one order);
    the rarity of terms is taken over the reviewers given."""
    pool = list(reviewers)
    rare = rarity(pool)
    matches = [score(paper, r, rare) for r in pool]
    return sorted(matches, key=lambda m: (-m.score, m.user_id))
