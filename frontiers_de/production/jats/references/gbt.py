"""GB/T 7714, the Chinese national standard for references (2015 and earlier editions)."""

from __future__ import annotations

import re

from frontiers_de.production.jats.references.kinds import _take_access_date, iso_date
from frontiers_de.production.jats.references.model import _STANDALONE, ParsedReference, _confidence
from frontiers_de.production.jats.references.patterns import (
    _CJK,
    _DOI,
    _URL,
    _YEAR_BARE,
    _expand_last_page,
)

# "题名[J]", "[M]", "[EB/OL]", "[J/OL]": the code says what the work is.
_GBT_CODE = re.compile(r"\[(?P<code>J|M|D|C|N|R|P|S|EB|Z|A|G|DB|DS|CP|CM)(?:/(?:OL|CD|MT|DK))?\]")
_GBT_TYPES = {
    "J": "journal",
    "M": "book",
    "A": "book",
    "G": "book",
    "D": "thesis",
    "C": "confproc",
    "N": "newspaper",
    "R": "report",
    "P": "patent",
    "S": "standard",
    "EB": "webpage",
    "DB": "data",
    "DS": "data",
    "CP": "software",
    "Z": "other",
    "CM": "other",
}
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "澹台",
}  # fmt: skip
# An organisation rather than a person: too long for a name, or ending as bodies do.
_CJK_ORG = re.compile(r"(?:部|局|委员会|委|中心|院|所|会|厅|署|办公室|组织|公司|大学|学校|集团)$")
_GBT_SENTENCE = r"[.．。]"
_GBT_IMPRINT = re.compile(
    r"(?:(?P<loc>[^.．。:：,，]+?)\s*[:：]\s*(?P<pub>[^:：,，]+?)\s*[,，]\s*)?"
    r"(?P<year>(?:1[5-9]|20)\d{2})[a-z]?(?:-\d{1,2}(?:-\d{1,2})?)?"
    r"\s*(?:[:：]\s*(?P<first>\w+)(?:\s*[-–—~]\s*(?P<last>\w+))?)?\s*$"
)
_GBT_JOURNAL = re.compile(
    r"^(?P<source>.+?)\s*[,，]\s*(?P<year>(?:1[5-9]|20)\d{2})[a-z]?"
    r"(?:-\d{1,2}-\d{1,2})?\s*(?:[,，]\s*(?P<volume>[^(（:：,，]+?))?"
    r"\s*(?:[(（](?P<issue>[^)）]{1,15})[)）])?"
    r"\s*(?:[:：]\s*(?P<first>[\w]+)(?:\s*[-–—~]\s*(?P<last>\w+))?)?\s*$"
)


def _gbt_person(name: str) -> tuple[str, str]:
    """ "张明华" → (张, 明华); "欧阳文" → (欧阳, 文); "SMITH J A" → (SMITH, JA)."""
    name = name.strip()
    if _CJK.match(name):
        cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:cut], name[cut:]
    latin = re.fullmatch(r"(?P<s>.+?)\s+(?P<g>(?:[A-Z][a-z]?\.?(?:\s*-\s*|\s+)?)+)", name)
    if latin:
        return latin.group("s"), re.sub(r"[\s.]", "", latin.group("g"))
    return name, ""


def _gbt_authors(text: str, ref: ParsedReference) -> None:
    parts = [p.strip() for p in re.split(r"\s*[,，、;；]\s*", text.strip()) if p.strip()]
    for part in parts:
        if part in ("等", "et al", "et al.") or re.fullmatch(r"et\s+al\.?", part):
            ref.etal = True
        elif _CJK.match(part) and (len(part) > 4 or _CJK_ORG.search(part)) and len(parts) == 1:
            ref.collab = part
        elif len(part.split()) > 4 and len(parts) == 1:
            ref.collab = part  # "World Health Organization"
        else:
            ref.authors.append(_gbt_person(part))


def _parse_gbt(text: str) -> ParsedReference:
    """A reference in the Chinese national style GB/T 7714 (2015 and earlier):
    ``作者, 作者, 等. 题名[J]. 刊名, 年, 卷(期): 起页-止页.``; the code in brackets gives
    the kind, books and theses end in ``出版地: 出版者, 年: 页.``, conference papers name
    their proceedings after ``//``, online works carry ``(更新日期)[引用日期]``."""
    ref = ParsedReference(text=text)
    code = _GBT_CODE.search(text)
    assert code is not None
    ref.publication_type = _GBT_TYPES[code.group("code")]
    head, tail = text[: code.start()], text[code.end() :]
    tail = _gbt_take_links_and_dates(tail, ref)
    _gbt_authors_and_title(head, ref)

    container = ""
    if tail.startswith("//"):
        # "[C]//编者. 文集名. 出版地: 出版者, 年: 页" — the last sentence is the imprint, the
        # one before it the proceedings (or book); editors come first
        pieces = [p.strip() for p in re.split(rf"{_GBT_SENTENCE}\s+|[．。]", tail[2:]) if p.strip()]
        imprint_text = pieces[-1] if pieces else ""
        container = pieces[-2] if len(pieces) >= 2 else ""
        tail = imprint_text
    if ref.publication_type in ("journal", "newspaper") and not container:
        _gbt_journal(tail, ref)
    else:
        _gbt_imprint(tail, ref)
        if container:
            ref.source = container
    if not ref.year:
        year = _YEAR_BARE.search(tail)
        if year:
            ref.year = year.group(1)
    ref.confidence = _confidence(ref)
    return ref


def _gbt_take_links_and_dates(tail: str, ref: ParsedReference) -> str:
    """The DOI, URL, date cited and date updated after the code; returns the rest."""
    doi = _DOI.search(tail)
    if doi:
        ref.doi = doi.group(1).rstrip(".,;)]")
        tail = tail[: doi.start()] + tail[doi.end() :]
        tail = re.sub(r"(?:\bDOI\s*[:：]?\s*)?$", "", tail.rstrip(" .,;"), flags=re.I)
    url = _URL.search(tail)
    if url:
        ref.url = url.group(0).rstrip(".,;)")
        tail = tail[: url.start()] + tail[url.end() :]
    tail = _take_access_date(tail, ref)
    # "[2024-05-03]" is the date cited (accessed); "(2023-11-20)" the date updated
    cited = re.search(r"\[(\d{4}-\d{1,2}-\d{1,2})\]", tail)
    if cited and iso_date(cited.group(1)):
        ref.access_date = ref.access_date_text = iso_date(cited.group(1))
        ref.access_date_text = cited.group(1)
        tail = tail[: cited.start()] + tail[cited.end() :]
    updated = re.search(r"[(（]((?:1[5-9]|20)\d{2})(?:-\d{1,2}){0,2}[)）]", tail)
    if updated:
        ref.year = updated.group(1)
        tail = tail[: updated.start()] + tail[updated.end() :]
    return tail.strip(" .．。,，;")


def _gbt_authors_and_title(head: str, ref: ParsedReference) -> None:
    """``作者, 作者, 等. 题名``: the title is a book's or thesis's source."""
    authors = re.match(
        rf"^(?P<a>[^.．。\[]*?(?:[,，]\s*(?:等|et\s+al))?)\s*{_GBT_SENTENCE}\s*(?P<t>.+)$", head
    )
    title = head.strip(" .．。")
    if authors:
        _gbt_authors(authors.group("a"), ref)
        title = authors.group("t").strip(" .．。")
    if ref.publication_type in _STANDALONE or ref.publication_type == "thesis":
        ref.source = title
    else:
        ref.title = title


def _gbt_journal(tail: str, ref: ParsedReference) -> None:
    """``刊名, 年, 卷(期): 起页-止页`` (a newspaper's page in brackets)."""
    journal = _GBT_JOURNAL.match(tail)
    if journal:
        ref.source = journal.group("source").strip()
        ref.year = journal.group("year")
        ref.volume = (journal.group("volume") or "").strip()
        ref.issue = (journal.group("issue") or "").strip()
        first, last = journal.group("first") or "", journal.group("last") or ""
        if ref.publication_type == "newspaper" and ref.issue and not first:
            first, ref.issue = ref.issue, ""  # "中国教育报, 2023-09-10(3)": page 3
        if first and not last and len(first) >= 6:
            ref.elocation_id = first
        else:
            ref.fpage, ref.lpage = first, _expand_last_page(first, last)


def _gbt_imprint(tail: str, ref: ParsedReference) -> None:
    """``出版地: 出版者, 年: 页`` closing a book, thesis, report or proceedings."""
    last_part = re.split(rf"{_GBT_SENTENCE}\s*", tail)[-1] if tail else ""
    imprint = _GBT_IMPRINT.search(last_part)
    if imprint:
        ref.year = imprint.group("year")
        ref.publisher_loc = (imprint.group("loc") or "").strip()
        ref.publisher_name = (imprint.group("pub") or "").strip()
        ref.fpage = imprint.group("first") or ""
        ref.lpage = _expand_last_page(ref.fpage, imprint.group("last") or "")
