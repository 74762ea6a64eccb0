"""Field-level accuracy of the reference parser on the corpus ground truth.

Every journal ``element-citation`` in the corpus JATS files is rendered to a string in two
common styles (Vancouver and APA), parsed back with ``parse_reference``, and each field is
compared with the original markup. Prints accuracy per field and style, and the share of
references the parser is confident about (those become element-citations).

Then the kinds the corpus has too few of: preprints (arXiv, bioRxiv, medRxiv, SSRN, OSF,
Research Square), datasets, software, web pages with access dates and Chinese GB/T 7714
references, against hand-written gold data in ``tests/fixtures/references/kinds_gold.json``
(made-up but realistic references; each names only the fields it checks).

    .venv/bin/python bench/bench_references.py [--show-misses N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontiers_de.production.jats.references import (  # noqa: E402
    CONFIDENT,
    link_citations,
    parse_reference,
)
from frontiers_de.xml.safe import parse_xml  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402

FIELDS = ("authors", "year", "title", "source", "volume", "issue", "fpage", "lpage", "doi")


def text_of(element, path: str) -> str:
    found = element.find(path)
    return re.sub(r"\s+", " ", "".join(found.itertext())).strip() if found is not None else ""


def truth(citation) -> dict[str, object]:
    names = []
    for name in citation.iterfind("person-group[@person-group-type='author']/name") or []:
        names.append((text_of(name, "surname"), text_of(name, "given-names")))
    if not names:
        for name in citation.iterfind("person-group/name"):
            names.append((text_of(name, "surname"), text_of(name, "given-names")))
    return {
        "authors": names,
        "year": text_of(citation, "year"),
        "title": text_of(citation, "article-title"),
        "source": text_of(citation, "source"),
        "volume": text_of(citation, "volume"),
        "issue": text_of(citation, "issue"),
        "fpage": text_of(citation, "fpage"),
        "lpage": text_of(citation, "lpage"),
        "doi": text_of(citation, "pub-id[@pub-id-type='doi']"),
    }


def spaced_text(element) -> str:
    """Text of a mixed-citation; where the publisher left no space between two marked-up
    fields (PMC writes "<surname>Albert</surname><given-names>DM</given-names>"), a space,
    as a reader would see it rendered."""
    pieces: list[str] = []

    def add(text: str | None) -> None:
        if text:
            if pieces and pieces[-1] and not pieces[-1][-1].isspace() and text[0].isalnum():
                pieces.append(" ")
            pieces.append(text)

    def walk(node) -> None:
        add(node.text)
        for child in node:
            walk(child)
            add(child.tail)

    walk(element)
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def initials(given: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)


def vancouver(t: dict) -> str:
    authors = ", ".join(f"{s} {initials(g)}".strip() for s, g in t["authors"])
    out = f"{authors}. {t['title'].rstrip('.')}. {t['source']}. {t['year']}"
    if t["volume"]:
        out += f";{t['volume']}"
        if t["issue"]:
            out += f"({t['issue']})"
    if t["fpage"]:
        out += f":{t['fpage']}" + (f"-{t['lpage']}" if t["lpage"] else "")
    out += "."
    if t["doi"]:
        out += f" doi:{t['doi']}"
    return out


def apa(t: dict) -> str:
    names = [f"{s}, {'. '.join(initials(g))}." if g else s for s, g in t["authors"]]
    authors = ", ".join(names[:-1]) + ", & " + names[-1] if len(names) > 1 else "".join(names)
    out = f"{authors} ({t['year']}). {t['title'].rstrip('.')}. {t['source']}"
    if t["volume"]:
        out += f", {t['volume']}"
        if t["issue"]:
            out += f"({t['issue']})"
    if t["fpage"]:
        out += f", {t['fpage']}" + (f"–{t['lpage']}" if t["lpage"] else "")
    out += "."
    if t["doi"]:
        out += f" https://doi.org/{t['doi']}"
    return out


def norm(value: str) -> str:
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", value).strip().lower()


def compare(field: str, expected, parsed) -> bool:
    if field == "authors":
        got = [norm(s) for s, _ in parsed.authors]
        return got == [norm(s) for s, _ in expected]
    if field == "fpage":  # "e157" is an elocation-id however the source marked it
        return norm(str(expected)) in {norm(parsed.fpage), norm(parsed.elocation_id)}
    return norm(str(expected)) == norm(str(getattr(parsed, field)))


def main() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-misses", type=int, default=0)
    parser.add_argument("--field", default="", help="show misses of this field only")
    parser.add_argument("--kind-misses", type=int, default=0, help="show misses of new kinds")
    parser.add_argument("--kinds-only", action="store_true", help="only the new kinds")
    args = parser.parse_args()
    if args.kinds_only:
        return args
    samples = []
    published = []  # mixed-citations: the publisher's own punctuation, fields marked up
    for path in corpus_files("jats"):
        tree = parse_xml(path)
        for citation in tree.iter("element-citation", "mixed-citation"):
            if citation.get("publication-type") != "journal":
                continue
            t = truth(citation)
            if t["authors"] and t["title"] and t["source"] and t["year"]:
                if citation.tag == "element-citation":
                    samples.append(t)
                else:
                    t["text"] = spaced_text(citation)
                    published.append(t)
    print(
        f"{len(samples)} journal element-citations with authors, title, source and year;"
        f" {len(published)} marked-up journal mixed-citations (text as published)"
    )
    for style, render, group in (
        ("vancouver (rendered element-citations)", vancouver, samples),
        ("apa (rendered element-citations)", apa, samples),
        ("as published (mixed-citation text)", lambda t: t["text"], published),
    ):
        right: Counter[str] = Counter()
        present: Counter[str] = Counter()
        confident = 0
        misses: list[tuple[str, str, str, str]] = []
        start = time.perf_counter()
        for t in group:
            text = render(t)
            parsed = parse_reference(text)
            if parsed is None:
                continue
            confident += parsed.confidence >= CONFIDENT
            for field in FIELDS:
                if not t[field]:
                    continue
                present[field] += 1
                if compare(field, t[field], parsed):
                    right[field] += 1
                elif len(misses) < args.show_misses and (not args.field or field == args.field):
                    misses.append((field, text, str(t[field]), str(getattr(parsed, field))))
        elapsed = (time.perf_counter() - start) / len(group) * 1000
        print(
            f"\n{style}: confident {confident}/{len(group)} "
            f"({confident / len(group):.0%}); {elapsed:.2f} ms per reference"
        )
        for field in FIELDS:
            if present[field]:
                print(
                    f"  {field:8} {right[field] / present[field]:6.1%}"
                    f"  ({right[field]}/{present[field]})"
                )
        all_fields = sum(right.values()) / sum(present.values())
        print(f"  {'overall':8} {all_fields:6.1%}")
        for field, text, expected, got in misses:
            print(f"  MISS {field}: {text}\n       expected {expected!r}\n       got      {got!r}")
    return args


GOLD = ROOT / "tests" / "fixtures" / "references" / "kinds_gold.json"


def kinds(show_misses: int = 0) -> None:
    """Field accuracy per kind of reference against the hand-written gold data."""
    import json

    items = json.loads(GOLD.read_text(encoding="utf-8"))
    order = list(dict.fromkeys(item["kind"] for item in items))
    print(f"\nnew kinds ({len(items)} hand-written references, {GOLD.name}):")
    total_right = total_present = 0
    misses: list[str] = []
    for kind in order:
        right = present = confident = 0
        group = [item for item in items if item["kind"] == kind]
        for item in group:
            parsed = parse_reference(item["text"])
            confident += bool(parsed and parsed.confident)
            for field, expected in item["expect"].items():
                present += 1
                if field == "authors":
                    got = [norm(s) for s, _ in parsed.authors] if parsed else []
                    ok = got == [norm(s) for s in expected]
                elif field == "fpage":
                    got = {norm(parsed.fpage), norm(parsed.elocation_id)} if parsed else set()
                    ok = norm(expected) in got
                elif field in ("url", "publication_type", "access_date", "doi", "arxiv"):
                    got = str(getattr(parsed, field, "")) if parsed else ""
                    ok = got == expected
                else:
                    got = str(getattr(parsed, field, "")) if parsed else ""
                    ok = norm(expected) == norm(got)
                right += ok
                if not ok and len(misses) < show_misses:
                    misses.append(
                        f"  MISS {kind} {field}: {item['text']}\n"
                        f"       expected {expected!r}\n       got      {got!r}"
                    )
        total_right += right
        total_present += present
        print(
            f"  {kind:9} fields {right / present:6.1%}  ({right}/{present}); "
            f"confident {confident}/{len(group)}"
        )
    print(f"  {'overall':9} fields {total_right / total_present:6.1%}")
    for miss in misses:
        print(miss)


def linking() -> None:
    """In-text citation linking against the publishers' own xrefs.

    Each corpus article's bibliography xrefs in the body are turned back into plain text,
    ``link_citations`` runs, and the references it points at are compared with the ones the
    publisher pointed at (as multisets of ref ids: recall and precision).
    """
    from lxml import etree

    print("\nin-text citations (publisher's xrefs removed, then linked again):")
    total_found = total_orig = total_right = 0
    for path in corpus_files("jats"):
        root = parse_xml(path).getroot()
        body = root.find("body")
        if body is None:
            continue
        original: Counter[str] = Counter()
        order = [r.get("id") for r in root.iter("ref")]
        cited = [x for x in body.iter("xref") if x.get("ref-type") == "bibr" and x.get("rid")]
        if not cited:
            print(f"  {path.name[:48]:48} n/a (the publisher's xrefs name no reference)")
            continue
        for xref in cited:
            original.update(xref.get("rid").split())
            # "[1]-[9]" with only the ends linked: the refs in between are cited too
            after = xref.getnext()
            if (
                (xref.tail or "").strip() in {"-", "–", "—"}
                and after is not None
                and after in cited
                and xref.get("rid") in order
                and after.get("rid") in order
            ):
                first, last = order.index(xref.get("rid")), order.index(after.get("rid"))
                original.update(order[first + 1 : last])
        for xref in cited:
            xref.tag = "unlinked"
        etree.strip_tags(body, "unlinked")
        start = time.perf_counter()
        link_citations(root)
        ms = (time.perf_counter() - start) * 1000
        found: Counter[str] = Counter()
        for xref in body.iter("xref"):
            if xref.get("ref-type") == "bibr" and xref.get("rid"):
                found.update(xref.get("rid").split())
        right = sum((found & original).values())
        total_found += sum(found.values())
        total_orig += sum(original.values())
        total_right += right
        recall = right / max(sum(original.values()), 1)
        precision = right / max(sum(found.values()), 1)
        print(
            f"  {path.name[:48]:48} recall {recall:6.1%}  precision {precision:6.1%}  {ms:5.0f} ms"
        )
    print(
        f"  {'all':48} recall {total_right / total_orig:6.1%}  "
        f"precision {total_right / max(total_found, 1):6.1%}"
    )
    print(
        "  (ranges the publisher linked only at their ends count with the refs between;"
        " scielo__0034 and the sub-articles file mark citations up as <sup>(</sup>1<sup>-"
        "</sup>3<sup>)</sup>, which leaves no citation text once their xrefs are removed)"
    )


if __name__ == "__main__":
    options = main()
    kinds(options.kind_misses)
    if not options.kinds_only:
        linking()
