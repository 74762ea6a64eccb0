"""Text in one comparable form, for matching: compatibility forms, case and accents folded,
dashes and apostrophes unified, white space collapsed (:func:`fold`); and Chinese, written
without spaces, cut into overlapping character pairs (:func:`split_scripts`). The reader's
search (``publishing.search``) and the reviewer finder (``editorial.matching``) match text
the same way."""

from __future__ import annotations

import functools
import re
import unicodedata

# --- folding text to one comparable form --------------------------------------------------

_APOSTROPHES = {"\u2018", "\u2019", "\u02bc", "\u2032", "\uff07"}


@functools.lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """One character in its comparable form (possibly several characters, or none)."""
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""  # control, format (zero-width) and unassigned characters carry no text
    if category == "Pd":
        return "-"
    if ch in _APOSTROPHES:
        return "'"
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in kept if not unicodedata.combining(c))


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the original character
    it came from (so that matches in the folded text can be marked in the original)."""
    simple = "".join(map(fold_char, text))
    if len(simple) == len(text) and "  " not in simple and simple.strip(" ") == simple:
        return simple, list(range(len(text)))  # one character for one: the usual case
    out: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            origins.append(i)
    if out and out[-1] == " ":
        out.pop()
        origins.pop()
    return "".join(out), origins


def fold(text: str) -> str:
    """The comparable form of ``text``: what documents store and queries are matched in."""
    return " ".join("".join(map(fold_char, text)).split())


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3400 <= o <= 0x4DBF  # extension A
        or 0x4E00 <= o <= 0x9FFF  # unified ideographs
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= o <= 0x3FFFF  # extensions B and later
        or 0x3040 <= o <= 0x30FF  # kana
        or 0xAC00 <= o <= 0xD7AF  # hangul syllables
    )


SCRIPT_RUN_RE = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003ffff]+)"
)


def split_scripts(token: str, quoted: bool) -> list[str]:
    """A token's terms: runs of CJK characters and of other characters apart (Chinese is
    written without spaces, so "COVID-19疫情" is two words); an unquoted CJK run longer than
    two characters becomes its overlapping pairs."""
    terms: list[str] = []
    for part in SCRIPT_RUN_RE.split(token):
        part = part.strip()
        if not part:
            continue
        if is_cjk(part[0]) and len(part) > 2 and not quoted:
            terms.extend(part[i : i + 2] for i in range(len(part) - 1))
        else:
            terms.append(part)
    return terms
