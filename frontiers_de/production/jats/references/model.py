"""A parsed reference: its fields and how sure the parser is of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontiers_de.production.jats.references.patterns import _CJK

CONFIDENT = 0.75
# works that are their own source: a book's, report's or thesis's title is tagged <source>
_STANDALONE = {"book", "thesis", "report", "patent", "standard", "other"}
_ONLINE_KINDS = {"preprint", "data", "software", "webpage"}


@dataclass
class ParsedReference:
    """Fields found in one reference string, with how sure the parser is (0–1)."""

    text: str
    authors: list[tuple[str, str]] = field(default_factory=list)  # (surname, given names)
    etal: bool = False
    title: str = ""
    source: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    publisher_loc: str = ""
    publisher_name: str = ""
    publication_type: str = "journal"
    collab: str = ""  # an organisation as author ("国家统计局", "World Health Organization")
    arxiv: str = ""  # "1906.01998v2" or old-style "hep-th/9901001"
    version: str = ""  # of software or a data set
    access_date: str = ""  # ISO 8601 ("2024-05-03"): when a web page was read
    access_date_text: str = ""  # the same date as the author wrote it
    confidence: float = 0.0

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def _confidence(ref: ParsedReference) -> float:
    score = 0.0
    score += 0.25 if (ref.authors or ref.collab) else 0.0
    score += 0.2 if ref.year else 0.0
    book = ref.publication_type in _STANDALONE
    title = ref.title or (ref.source if book else "")  # a book's title is its source
    # Chinese titles say in 6 characters what English says in 20
    score += 0.2 if len(title) > 10 or (len(title) >= 4 and _CJK.search(title)) else 0.0
    score += 0.15 if ref.source else 0.0
    located = ref.volume or ref.fpage or ref.elocation_id or ref.publisher_name or ref.arxiv
    # a preprint, data set, program or page is found by its identifier or address
    online = ref.publication_type in _ONLINE_KINDS and (ref.doi or ref.url)
    score += 0.2 if (located or online) else 0.0
    if ref.doi:
        score = min(1.0, score + 0.1)
    if any(len(s) > 60 or len(s.split()) > 6 for s, _ in ref.authors):
        score -= 0.3  # an "author" that is a sentence: the split went wrong
    return round(max(score, 0.0), 2)
