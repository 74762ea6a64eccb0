"""The standard character entities of JATS, NLM and XHTML documents.

Articles from other publishers often write characters as named entities (``&nbsp;``,
``&iquest;``, ``&alpha;``) that only their DTD declares, and name the DTD by a public id
with a relative system id that does not travel with the file. We never load a document's
DTD (it could fetch files or expand entities without limit); instead, when the DOCTYPE is
one of the standard JATS, NLM, XHTML or MathML DTDs, its character entities are resolved
from the standard entity sets.

Those DTDs take their character entities from the W3C *XML Entity Definitions for
Characters* (the ISO 8879 and ISO 9573-13 sets, the XHTML sets and the MathML aliases);
HTML's list of named character references is that same set, and Python ships it as
``html.entities.html5``. So the declarations here are generated from it: each entity is one
or two characters, nothing else, and nothing is read from disk or network.
"""

from __future__ import annotations

import functools
import re
from html.entities import html5

# Public ids of the DTD families whose documents use the standard character entities.
STANDARD_PUBLIC_ID_PREFIXES: tuple[str, ...] = (
    "-//NLM//DTD",  # JATS (Z39.96) 1.0-1.4 and the NLM Archiving/Publishing DTDs 1.0-3.0
    "-//NISO//DTD",  # later JATS and BITS releases
    "-//W3C//DTD XHTML",
    "-//W3C//DTD MathML",
    "-//W3C//ENTITIES",
)
# A DOCTYPE that gives only a system id, by the file names of those DTDs.
_STANDARD_SYSTEM_NAME = re.compile(
    r"(?:^|[/\\])(?:JATS-[\w.-]+|journalpublishing\d*|archivearticle\d*|articleauthoring\d*"
    r"|BITS-[\w.-]+|xhtml[\w.-]*|mathml\d*)\.dtd$",
    re.IGNORECASE,
)
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})


def is_standard_doctype(public_id: str | None, system_url: str | None) -> bool:
    """True when the DOCTYPE names a JATS, NLM, XHTML or MathML DTD."""
    if public_id and public_id.strip().startswith(STANDARD_PUBLIC_ID_PREFIXES):
        return True
    return bool(system_url and _STANDARD_SYSTEM_NAME.search(system_url.strip()))


def is_standard_entity(name: str) -> bool:
    """True when ``name`` (without ``&`` and ``;``) is one of the standard character entities."""
    return f"{name};" in html5


@functools.cache
def character_entities_dtd() -> bytes:
    """A DTD that declares every standard character entity, and nothing else."""
    lines = []
    for key, value in sorted(html5.items()):
        name = key[:-1]
        if not key.endswith(";") or name in _XML_PREDEFINED:
            continue
        chars = "".join(_character_reference(c) for c in value)
        lines.append(f'<!ENTITY {name} "{chars}">')
    return ("\n".join(lines) + "\n").encode("ascii")


def _character_reference(char: str) -> str:
    # An entity's value is parsed again where the entity is used: "&" and "<" must still be
    # character references then (XML 1.0, section 4.5), so theirs are escaped twice.
    if char in "&<":
        return f"&#38;#{ord(char)};"
    return f"&#x{ord(char):X};"
