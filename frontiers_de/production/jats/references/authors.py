"""Author lists in the numbered (Vancouver, ICMJE), author–date (APA, Harvard) and
ABNT / ISO 690 styles: where the list ends, and the (surname, given names) pairs in it.
"""

from __future__ import annotations

import re

from frontiers_de.production.jats.references.patterns import _ET_AL, _YEAR, _strip_punct


def _split_authors_vancouver(text: str) -> tuple[str, str]:
    """Authors end at the first full stop that follows a run of initials (``Smith JA, Doe B.``)."""
    abnt = _ABNT_AUTHORS.match(text)
    if abnt:
        return abnt.group("authors"), text[abnt.end() :]
    match = re.match(
        r"^((?:[^.]*?(?:\b[A-Z](?:\.\s?-?[A-Z])+|\b[A-Z]{1,4}|\bet al)))\.\s+(?=\S)", text
    )
    if match and _looks_like_authors(match.group(1)):
        return match.group(1), text[match.end() :]
    # "Surname, I., Surname, I. Title." (APA without a parenthesised year)
    match = re.match(
        r"^((?:[^,]+,\s*(?:[A-Z]\.\s?-?)+(?:,\s*(?:&|and)?\s*)?)+)\s*(?=[A-Z0-9])", text
    )
    if match and _looks_like_authors(match.group(1)):
        return match.group(1), text[match.end() :]
    return "", text


_AUTHORS_BARE_YEAR = re.compile(
    rf"^(?P<authors>[^.]+?(?:et al\.?)?)[.,]?\s+(?P<year>{_YEAR})[.,:]?\s+(?=\S)"
)


def _all_named(text: str) -> bool:
    """Every entry of the list is a surname with initials (so the year really ends it)."""
    authors, _ = parse_authors(text)
    return bool(authors) and all(given and len(surname.split()) <= 3 for surname, given in authors)


# A surname in capitals, then given names: the ABNT / ISO 690 way of listing authors.
_CAPS_SURNAME = re.compile(r"^[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*[A-ZÀ-ÖØ-Ý]")
# given names: whole words, or initials each with its full stop ("Carlos A.L.")
_GIVEN = (
    r"(?:(?:[A-ZÀ-ÖØ-Ý](?:\.\s?-?[A-ZÀ-ÖØ-Ý](?![\wÀ-ÿ]))*(?![\wÀ-ÿ])"
    r"|[A-ZÀ-ÖØ-Ý][\wÀ-ÿ'’-]+|d[aeo]s?|de|del|van|von)\s?)+"
)
_ABNT_AUTHORS = re.compile(
    rf"^(?P<authors>[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*{_GIVEN}"
    rf"(?:;\s*[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý'’ -]+,\s*{_GIVEN})*(?:\s*et al\.?)?)"
    r"(?:\s*\((?:[Oo]rg|[Cc]oord|[Ee]ds?)\.?\))?\.\s+(?=\S)"
)


def _looks_like_authors(text: str) -> bool:
    parts = [p for p in re.split(r",|;|\band\b|&", text) if p.strip()]
    if not parts:
        return False
    words = sum(len(p.split()) for p in parts)
    return words / len(parts) <= 4.5 and bool(re.search(r"[A-Z]", text))


def parse_authors(text: str) -> tuple[list[tuple[str, str]], bool]:
    """Split an author list into (surname, given names) pairs; True when it ends in et al."""
    text = _strip_punct(text)
    etal = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    text = re.sub(r"\((?:eds?|Eds?)\.?\)|,?\s*\beds?\.", "", text).strip(" ,.")
    if not text:
        return [], etal
    if ";" in text or _CAPS_SURNAME.match(text):
        # ABNT / ISO 690: "DIAS, Maria Odila da Silva; FERREIRA, José" — surname first
        named = []
        for part in re.split(r"\s*;\s*|\s+(?:&|and|e|y)\s+(?=[A-ZÀ-Ý]{2,}\b)", text):
            surname, _, given = part.partition(",")
            if surname.strip():
                named.append((surname.strip(), given.strip()))
        return named, etal
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s*", ", ", text)
    tokens = [t.strip() for t in re.split(r"[;,]", text) if t.strip()]
    authors: list[tuple[str, str]] = []
    i = 0
    # "J. A.", "JA", "Ch." — but not a short surname like "Li"
    initials = re.compile(r"^(?:(?:[A-Z]\.?[\s-]?){1,4}|(?:[A-Z][a-z]?\.[\s-]?){1,4})$")
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        vancouver_name = re.search(r"\s[A-Z]{1,4}$", token)
        if nxt and initials.match(nxt) and len(token.split()) <= 3 and not vancouver_name:
            authors.append((token, nxt.replace(" ", "")))  # "Smith, J. A."
            i += 2
            continue
        words = token.split()
        if len(words) >= 2 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
            authors.append((" ".join(words[:-1]), words[-1]))  # "Smith JA"
        elif len(words) >= 2 and initials.match(" ".join(words[:-1])):
            authors.append((words[-1], " ".join(words[:-1])))  # "J. A. Smith"
        elif len(words) >= 2 and nxt == "" and words[0][0].isupper():
            authors.append((words[-1], " ".join(words[:-1])))  # "John Smith"
        else:
            authors.append((token, ""))
        i += 1
    return authors, etal
