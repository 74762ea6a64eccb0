"""In-text citations to ``xref ref-type="bibr"``: numbered (``[1–3]``, superscripts) and
author–year (``(Smith et al., 2020)``, ``Smith and Doe (2020)``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from frontiers_de.production.jats.references.parse import parse_reference
from frontiers_de.production.jats.references.patterns import _DASH, _YEAR

_SKIP_INSIDE = {
    "xref",
    "ext-link",
    "uri",
    "ref-list",
    "ref",
    "label",
    "title",
    "pub-id",
    "tex-math",
    "email",
    "monospace",
    "preformat",
    "code",
}
_BRACKET_RANGE = re.compile(rf"\[(\d+)\]\s*[{_DASH}]\s*\[(\d+)\]")
_NUMBERED = re.compile(rf"\[(\s*\d+(?:\s*[{_DASH},]\s*\d+)*\s*)\]")
_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:(?i:van|von|de|der|den|da|das|do|dos|del|della|di|du|la|le)\s+)"
_NAME = rf"(?:{_PARTICLE}{{0,2}})[{_UPPER}][\w'’\-]+(?:\s+{_PARTICLE}{{1,2}}[{_UPPER}][\w'’\-]+)?"
# "Smith", "Smith et al.", "Smith and Doe", "Evans, Reisz & Dupuis", "Debener, …, & de Vos"
_AUTHORS = (
    rf"{_NAME}(?:,?\s+et\s+al\.?|(?:,\s+{_NAME})*,?\s+(?:and|&)\s+{_NAME}"
    rf"|(?:;\s+{_NAME})+)?"  # ABNT: "LÓPEZ; CANTAMUTTO, 2018"
)
_NARRATIVE = re.compile(
    rf"(?P<names>{_AUTHORS})\s+\((?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
    rf"(?:,\s*(?:pp?\.|s\.)\s*\d+(?:\s*[{_DASH}]\s*\d+)?)?\)"  # "Alonso (1998, p. 188)"
)
_HAS_YEAR = re.compile(r"\b(?:1[6-9]|20)\d{2}")
_YEAR_OPENING = re.compile(rf"\(\s*{_YEAR}")
_PAREN_GROUP = re.compile(r"\(([^()]*?\b(?:1[6-9]|20)\d{2}[a-z]?[^()]*)\)")
_PAREN_ITEM = re.compile(rf"(?P<names>{_AUTHORS}),?\s+(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)")


@dataclass(frozen=True)
class _RefKey:
    surnames: tuple[str, ...]
    year: str


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _reference_index(root: etree._Element) -> tuple[dict[str, str], list[tuple[_RefKey, str]]]:
    """Reference ids by label/number, and (surnames, year) keys for author–date citations."""
    by_number: dict[str, str] = {}
    keys: list[tuple[_RefKey, str]] = []
    refs = [r for r in root.iter("ref") if r.get("id")]
    for position, ref in enumerate(refs, start=1):
        rid = ref.get("id")
        label = ref.find("label")
        number = re.sub(r"\D", "", "".join(label.itertext())) if label is not None else ""
        by_number.setdefault(number or str(position), rid)
        surnames = [
            "".join(s.itertext())
            for s in ref.iterfind(".//person-group[@person-group-type='author']//surname")
        ] or ["".join(s.itertext()) for s in ref.iterfind(".//surname")]
        if not surnames:
            for collab in ref.iterfind(".//collab"):
                surnames = ["".join(collab.itertext())]
                break
        year_el = ref.find(".//year")
        year = "".join(year_el.itertext()).strip() if year_el is not None else ""
        if not surnames or not year:
            parsed = parse_reference("".join(ref.itertext()))
            if parsed:
                surnames = surnames or [s for s, _ in parsed.authors]
                year = year or parsed.year
        if surnames and year:
            keys.append((_RefKey(tuple(_fold(s) for s in surnames), year.lower()), rid))
    return by_number, keys


def _match_author_year(names: str, year: str, keys: list[tuple[_RefKey, str]]) -> str | None:
    parts = re.split(r",?\s+(?:and|&)\s+|[,;]\s+", re.sub(r",?\s+et\s+al\.?", "", names))
    wanted = [_fold(p.strip()) for p in parts]
    year = year.lower()
    found = [
        rid
        for key, rid in keys
        if (key.year == year or (key.year[:4] == year[:4] and len(year) == 4))
        and key.surnames[: len(wanted)] == tuple(wanted)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        # "Smith and Doe" must match a two-author reference; "Smith" alone a one-author one.
        exact = [
            rid
            for key, rid in keys
            if rid in found
            and (("et al" in names and len(key.surnames) > 2) or len(key.surnames) == len(wanted))
        ]
        if len(exact) == 1:
            return exact[0]
        return None
    # Typos are common in manuscripts ("Getzman" for Getzmann, a co-author misspelt): fall
    # back to the first author alone, spelt nearly alike, when one reference of that year
    # fits and the citation names as many authors as it has (or says et al.).
    close = [
        rid
        for key, rid in keys
        if (key.year == year or (key.year[:4] == year[:4] and len(year) == 4))
        and key.surnames
        and difflib.SequenceMatcher(None, key.surnames[0], wanted[0]).ratio() >= 0.85
        and ("et al" in names or len(key.surnames) == len(wanted))
    ]
    return close[0] if len(close) == 1 else None


def link_citations(tree: etree._ElementTree | etree._Element) -> int:
    """Turn numbered and author–year citations in the body into ``xref ref-type="bibr"``.

    Numbered: ``[1]``, ``[1–3]``, ``[1, 4]`` link to the reference with that label (or at
    that position). Author–year: ``(Smith, 2020)``, ``(Smith et al., 2020; Doe 2019a)``,
    ``Smith and Doe (2020)`` link to the reference with those first surnames and year. Text
    already inside an xref, a link or the reference list is left alone; a citation that
    matches no reference (or several) stays text. Returns the number of xrefs made.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    by_number, keys = _reference_index(root)
    if not by_number:
        return 0
    made = 0
    front_lines = _front_matter_lines(root)
    for body in [*root.iter("body"), *root.iter("back")]:
        for element in list(body.iter()):
            if not isinstance(element.tag, str) or _inside_skipped(element, body):
                continue
            if any(a in front_lines for a in (element, *element.iterancestors())):
                continue
            if element.tag == "sup" and len(element) == 0:
                made += _link_superscript(element, by_number)
                continue
            made += _link_in(element, "text", by_number, keys)
            for child in list(element):
                made += _link_in(child, "tail", by_number, keys, owner=element)
    return made


_ENDS_AS_SENTENCE = re.compile(r"[.!?。！？][\"'”’)\]]*\s*$")


def _front_matter_lines(root: etree._Element) -> set[etree._Element]:
    """Author, affiliation and correspondence lines typed at the top of the body.

    Manuscripts whose front matter is ordinary paragraphs ("Ana Silva<sup>1</sup>",
    "<sup>1</sup>Department of …", "Correspondence: ana@…") put them before the first
    heading; their superscripts are affiliation markers, not citations. These are the
    leading paragraphs of the body, before its first section, that are not prose: they
    start with a superscript, hold an email address, or do not end as a sentence does.
    The first paragraph of prose ends the run.
    """
    found: set[etree._Element] = set()
    for body in root.iter("body"):
        for child in body:
            if not isinstance(child.tag, str) or child.tag != "p":
                break
            text = "".join(child.itertext()).strip()
            starts_with_marker = (
                not (child.text or "").strip() and len(child) and child[0].tag == "sup"
            )
            has_email = child.find(".//email") is not None or "@" in text
            if not (starts_with_marker or has_email or not _is_prose(child, text)):
                break
            found.add(child)
    return found


def _is_prose(paragraph: etree._Element, text: str) -> bool:
    """Long, or ending as a sentence does (before a closing citation: "risk.<sup>1</sup>")."""
    if len(text) >= PROSE_CHARS:
        return True
    last = paragraph[-1] if len(paragraph) else None
    if last is not None and last.tag == "sup" and not (last.tail or "").strip():
        text = text[: len(text) - len("".join(last.itertext()).strip())].rstrip()
    return bool(_ENDS_AS_SENTENCE.search(text))


PROSE_CHARS = 200
_SUPERSCRIPT = re.compile(rf"^\s*\(?(\s*\d+(?:\s*[{_DASH},]\s*\d+)*\s*)\)?\s*$")


def _link_superscript(sup: etree._Element, by_number: dict[str, str]) -> int:
    """Superscript citations (``disease<sup>1,3–5</sup>``), not exponents or units.

    A number in superscript right after a digit (``10<sup>6</sup>``) or after a short
    symbol (``m<sup>2</sup>``, ``x<sup>2</sup>``) is mathematics, not a citation.
    """
    text = sup.text or ""
    match = _SUPERSCRIPT.match(text)
    if not match:
        return 0
    previous = sup.getprevious()
    before = (previous.tail if previous is not None else sup.getparent().text) or ""
    word = re.search(r"(\S*)$", before).group(1)
    if not word or word[-1].isdigit() or (len(word.strip(".,;:()")) <= 2 and word[-1].isalnum()):
        return 0
    spans = []
    for part in re.finditer(rf"\d+(?:\s*[{_DASH}]\s*\d+)?", match.group(1)):
        numbers = _numbers(part.group(0))
        if not numbers or any(n not in by_number for n in numbers):
            return 0  # all or nothing: a stray number means this is not a citation
        rids = " ".join(dict.fromkeys(by_number[n] for n in numbers))
        spans.append((match.start(1) + part.start(), match.start(1) + part.end(), rids))
    sup.text = text[: spans[0][0]]
    for n, (start, end, rid) in enumerate(spans):
        xref = etree.SubElement(sup, "xref", {"ref-type": "bibr", "rid": rid})
        xref.text = text[start:end]
        xref.tail = text[end : spans[n + 1][0] if n + 1 < len(spans) else len(text)]
    return len(spans)


def _inside_skipped(element: etree._Element, stop: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None and node is not stop:
        if node.tag in _SKIP_INSIDE or node.tag[0] == "{":
            return True
        node = node.getparent()
    return False


def _numbers(spec: str) -> list[str] | None:
    out: list[str] = []
    for part in spec.split(","):
        bounds = [b.strip() for b in re.split(rf"[{_DASH}]", part) if b.strip()]
        if len(bounds) == 1:
            out.append(bounds[0])
        elif len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 200:
            out.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            return None
    return out


def _find_citations(
    text: str, by_number: dict[str, str], keys: list[tuple[_RefKey, str]]
) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for match in _BRACKET_RANGE.finditer(text):
        # "[1]–[9]" (PLOS): the second number carries the rest of the range
        numbers = _numbers(f"{match.group(1)}-{match.group(2)}")
        if not numbers or any(n not in by_number for n in numbers):
            continue
        rest = " ".join(dict.fromkeys(by_number[n] for n in numbers[1:]))
        spans.append((match.start(1), match.end(1), by_number[numbers[0]]))
        spans.append((match.start(2), match.end(2), rest))
        covered.update((match.start(), match.start(2) - 1))
    for match in _NUMBERED.finditer(text):
        if match.start() in covered:
            continue
        inner_start = match.start(1)
        for part in re.finditer(rf"\d+(?:\s*[{_DASH}]\s*\d+)?", match.group(1)):
            numbers = _numbers(part.group(0))
            if not numbers or any(n not in by_number for n in numbers):
                continue
            rids = " ".join(dict.fromkeys(by_number[n] for n in numbers))
            spans.append((inner_start + part.start(), inner_start + part.end(), rids))
    if keys and "(" in text and _HAS_YEAR.search(text):
        # Narrative citations end in "(2020)": look for names only just before each such
        # parenthesis, instead of trying the name pattern at every position of the text.
        for opening in _YEAR_OPENING.finditer(text):
            window_start = max(0, opening.start() - 160)
            window = text[window_start : opening.end() + 40]
            for match in _NARRATIVE.finditer(window):
                if window_start + match.end() <= opening.start():
                    continue
                for year in re.findall(_YEAR, match.group("years")):
                    rid = _match_author_year(match.group("names"), year, keys)
                    if rid:
                        spans.append(
                            (window_start + match.start(), window_start + match.end(), rid)
                        )
                        break
                break
    if keys and "(" in text and _HAS_YEAR.search(text):
        for group in _PAREN_GROUP.finditer(text):
            offset = group.start(1)
            for item in _PAREN_ITEM.finditer(group.group(1)):
                rids = [
                    rid
                    for y in re.findall(_YEAR, item.group("years"))
                    if (rid := _match_author_year(item.group("names"), y, keys))
                ]
                if rids:
                    spans.append(
                        (offset + item.start(), offset + item.end(), " ".join(dict.fromkeys(rids)))
                    )
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _link_in(
    node: etree._Element,
    attr: str,
    by_number: dict[str, str],
    keys: list[tuple[_RefKey, str]],
    owner: etree._Element | None = None,
) -> int:
    text = getattr(node, attr)
    if not text:
        return 0
    spans = _find_citations(text, by_number, keys)
    if not spans:
        return 0
    parent = node if attr == "text" else owner
    assert parent is not None
    insert_at = 0 if attr == "text" else parent.index(node) + 1
    setattr(node, attr, text[: spans[0][0]])
    for n, (start, end, rid) in enumerate(spans):
        xref = etree.Element("xref", {"ref-type": "bibr", "rid": rid})
        xref.text = text[start:end]
        following = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        xref.tail = text[end:following]
        parent.insert(insert_at + n, xref)
    return len(spans)
