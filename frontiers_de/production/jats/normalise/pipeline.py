""":func:`normalise`: the steps in their order (see the package's docstring), and the
journal's own ``journal-meta`` when the article is produced for a journal."""

from __future__ import annotations

import copy

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.content_model import ContentModels, content_models
from frontiers_de.production.jats.ids import repair_ids
from frontiers_de.production.jats.normalise.attributes import _repair_attributes
from frontiers_de.production.jats.normalise.common import (
    MAX_PASSES,
    NormaliseResult,
    _ChangeLog,
    _describe,
)
from frontiers_de.production.jats.normalise.schema_repair import repair_to_schema
from frontiers_de.production.jats.normalise.sections import (
    one_statement_per_kind,
    section_numbers_to_labels,
)
from frontiers_de.production.jats.normalise.structure import _repair_structure
from frontiers_de.production.jats.normalise.versions import (
    _gather_notes,
    _rename_old_elements,
    _set_version_and_namespaces,
)
from frontiers_de.xml.schemas import validate


def normalise(
    tree: etree._ElementTree | etree._Element,
    profile: JournalProfile | None = None,
    *,
    check: bool = True,
) -> NormaliseResult:
    """Turn a JATS/NLM article into JATS 1.3 Journal Publishing.

    The input is repaired in place and may get a new root element (to declare the
    namespaces), so always use ``result.tree`` afterwards.

    ``profile``: when given, the article is being produced for that journal, so its
    ``journal-meta`` is replaced by the journal's own. ``check``: validate the result
    against the official XSD and report what is still wrong in ``errors`` (the first call
    in a process compiles the schema, about 3 s).
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if not isinstance(root.tag, str) or etree.QName(root).localname != "article":
        raise ValueError(f"not a JATS article: the root element is <{root.tag}>")
    changes = _ChangeLog()
    models = content_models()
    removed: list[str] = []

    root = _set_version_and_namespaces(root, changes, removed)
    _rename_old_elements(root, changes)
    _gather_notes(root, changes)
    section_numbers_to_labels(root, changes)
    changes.dropped_text.extend(one_statement_per_kind(root, changes))
    if profile is not None:
        _apply_journal_meta(root, profile, changes)
    for _ in range(MAX_PASSES):
        before = len(changes)
        _repair_structure(root, models, changes)
        if len(changes) == before:
            break
    _repair_ids(root, models, changes)
    changes.extend(sorted(changes.unplaced))
    result = NormaliseResult(
        etree.ElementTree(root), changes, dropped_text=changes.dropped_text, removed=removed
    )
    if check:
        for _ in range(MAX_PASSES):
            errors = validate(result.tree, "jats-1.3")
            if not errors or not _repair_attributes(root, errors, changes):
                break
        if errors:
            # What the repairs above could not place loses its markup, never its text.
            repaired = repair_to_schema(result.tree)
            result.tree = repaired.tree
            changes.extend(repaired.changes)
            errors = repaired.errors
        result.errors = errors
        result.validated = True
    return result


def _apply_journal_meta(root: etree._Element, profile: JournalProfile, changes: list[str]) -> None:
    front = root.find("front")
    if front is None:
        front = etree.Element("front")
        root.insert(0, front)
    old = front.find("journal-meta")
    meta = etree.Element("journal-meta")
    etree.SubElement(meta, "journal-id", {"journal-id-type": "publisher-id"}).text = profile.code
    group = etree.SubElement(meta, "journal-title-group")
    etree.SubElement(group, "journal-title").text = profile.title
    if profile.abbreviation:
        etree.SubElement(
            group, "abbrev-journal-title", {"abbrev-type": "publisher"}
        ).text = profile.abbreviation
    issns = [("ppub", profile.issn_print), ("epub", profile.issn_online)]
    if not any(value for _, value in issns) and old is not None:
        # No ISSN in the profile yet (a new journal): keep the document's own, if any.
        for issn in old.findall("issn"):
            meta.append(copy.deepcopy(issn))
    for fmt, value in issns:
        if value:
            etree.SubElement(meta, "issn", {"publication-format": fmt}).text = value
    publisher = etree.SubElement(meta, "publisher")
    etree.SubElement(publisher, "publisher-name").text = profile.publisher
    if profile.publisher_location:
        etree.SubElement(publisher, "publisher-loc").text = profile.publisher_location
    if old is not None:
        meta.tail = old.tail
        front.replace(old, meta)
    else:
        front.insert(0, meta)
    changes.append(f"journal-meta set to the journal's own ({profile.title})")


def _repair_ids(root: etree._Element, models: ContentModels, changes: list[str]) -> None:
    """Make every id a unique XML name and every reference point at an existing id, with
    the rule the conversion uses too (:func:`..ids.repair_ids`), each change a line.

    Ids that are not XML names ("1", "fig:2") are rewritten and the references to them
    follow; a second element with an id already taken gets a new one (references keep
    pointing at the first, as they did for any reader); references to ids that exist
    nowhere are dropped from the list, since the schema rejects them.
    """
    repaired = repair_ids(root, models, drop_missing=True)
    for old, new in repaired.renamed:
        changes.append(f"id {old!r} → {new!r} (not a unique XML name)")
    for element, attribute, dropped in repaired.references:
        if dropped:
            changes.append(
                f"{_describe(element)} {attribute}: dropped reference(s) to missing id(s) "
                + ", ".join(dropped)
            )
        else:
            changes.append(f"{_describe(element)} {attribute}: follows renamed id(s)")
