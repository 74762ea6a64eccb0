"""JATS 1.3 front matter (journal-meta, article-meta) and metadata back matter.

The submission metadata (``schemas/submission-metadata.schema.json``, the same schema the
submission API uses) is validated with ``jsonschema`` and then turned into elements in the
order the JATS 1.3 Journal Publishing schema requires. Journal facts come from the
:class:`~frontiers_de.config.JournalProfile`, never from the manuscript.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.package_files import schema_file
from frontiers_de.paragraphs import paragraphs
from frontiers_de.submissions.credit import CREDIT_ROLES

XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
MML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"xlink": XLINK, "mml": MML, "ali": ALI}

METADATA_SCHEMA_PATH = schema_file("submission-metadata.schema.json")

CREDIT_VOCAB_IDENTIFIER = "https://credit.niso.org/"
CREDIT_ROLE_SLUGS = {role.name: role.slug for role in CREDIT_ROLES}
FUNDER_REGISTRY_VOCAB = "open-funder-registry"
FUNDER_REGISTRY_IDENTIFIER = "10.13039/open_funder_registry"


class MetadataError(ValueError):
    """Submission metadata that cannot be used; ``problems`` lists each one with its path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid submission metadata:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass
class FrontReport:
    """What the front matter lacks or had to guess, for the conversion report."""

    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- metadata: load and validate ----------------------------------------------------------


@lru_cache(maxsize=1)
def metadata_schema() -> dict[str, Any]:
    return json.loads(METADATA_SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = metadata_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an ORCID iD (bare or URL form)."""
    digits = orcid.rsplit("/", 1)[-1].replace("-", "")
    if not re.fullmatch(r"\d{15}[\dX]", digits):
        return False
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def _json_path(parts: Iterable[Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _real_date(value: str) -> bool:
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def validate_metadata(metadata: Any) -> list[str]:
    """Every problem in ``metadata`` as ``$.path: message``; an empty list means usable.

    The JSON Schema does the structural work; the rules it cannot express (ORCID check
    digits, real calendar dates, affiliation ids that exist, date order) are checked here.
    """
    validator = _validator()
    problems = [
        f"{_json_path(err.absolute_path)}: {err.message}"
        for err in sorted(validator.iter_errors(metadata), key=lambda e: list(e.absolute_path))
    ]
    if not isinstance(metadata, dict):
        return problems
    try:
        problems.extend(_semantic_problems(metadata))
    except (KeyError, TypeError, AttributeError, ValueError):
        # The structure is broken in a way the schema errors above already describe.
        if not problems:
            raise
    return problems


def _semantic_problems(metadata: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    aff_ids = [a["id"] for a in metadata.get("affiliations", [])]
    if len(set(aff_ids)) != len(aff_ids):
        problems.append("$.affiliations: affiliation ids must be unique")
    for i, person in enumerate(metadata.get("contributors", [])):
        orcid = person.get("orcid")
        if orcid and not orcid_checksum_ok(orcid):
            problems.append(f"$.contributors[{i}].orcid: {orcid!r} fails the ORCID check digit")
        for ref in person.get("affiliations", []):
            if ref not in aff_ids:
                problems.append(
                    f"$.contributors[{i}].affiliations: {ref!r} is not an id in $.affiliations"
                )
    for i, fund in enumerate(metadata.get("funding", [])):
        for r in fund.get("recipients", []):
            if r >= len(metadata.get("contributors", [])):
                problems.append(f"$.funding[{i}].recipients: no contributor number {r}")
    history = metadata.get("history", {})
    for key in ("received", "revised", "accepted"):
        values = history.get(key)
        for value in [values] if isinstance(values, str) else values or []:
            if not _real_date(value):
                problems.append(f"$.history.{key}: {value!r} is not a real date")
    for i, pub in enumerate(metadata.get("publication_dates", [])):
        if not _real_date(pub["date"]):
            problems.append(f"$.publication_dates[{i}].date: {pub['date']!r} is not a real date")
    received = history.get("received")
    accepted = history.get("accepted")
    both_real = received and accepted and _real_date(received) and _real_date(accepted)
    if both_real and accepted < received:
        problems.append("$.history: accepted is earlier than received")
    return problems


def load_metadata(path: str | Path) -> dict[str, Any]:
    """Read and validate a metadata JSON file, or raise :class:`MetadataError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MetadataError([f"{path}: cannot be read ({exc.strerror})"]) from exc
    except UnicodeDecodeError as exc:
        raise MetadataError([f"{path}: not UTF-8 text"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataError(
            [f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"]
        ) from exc
    problems = validate_metadata(data)
    if problems:
        raise MetadataError(problems)
    return data


# --- element helpers ----------------------------------------------------------------------


def _el(tag: str, text: str | None = None, attrib: Mapping[str, str] | None = None) -> Any:
    element = etree.Element(tag, {k: v for k, v in (attrib or {}).items() if v})
    if text is not None:
        element.text = text
    return element


def _sub(parent: Any, tag: str, text: str | None = None, **attrib: str) -> Any:
    child = _el(tag, text, {k.replace("_", "-"): v for k, v in attrib.items()})
    parent.append(child)
    return child


def _date_parts(parent: Any, value: str) -> None:
    parts = value.split("-")
    if len(parts) > 2:
        _sub(parent, "day", parts[2])
    if len(parts) > 1:
        _sub(parent, "month", parts[1])
    _sub(parent, "year", parts[0])


def _paragraphs(parent: Any, text: str) -> None:
    for paragraph in paragraphs(text) or [""]:
        _sub(parent, "p", paragraph)


def _id_token(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "-", value)


def _orcid_url(orcid: str) -> str:
    return "https://orcid.org/" + orcid.rsplit("/", 1)[-1]


def _ror_url(ror: str) -> str:
    return "https://ror.org/" + ror.rsplit("/", 1)[-1]


def _funder_doi(value: str) -> str:
    return value.removeprefix("https://doi.org/")


# --- journal-meta -------------------------------------------------------------------------


def build_journal_meta(profile: JournalProfile, report: FrontReport) -> Any:
    meta = _el("journal-meta")
    _sub(meta, "journal-id", profile.code, journal_id_type="publisher-id")
    titles = _sub(meta, "journal-title-group")
    _sub(titles, "journal-title", profile.title)
    if profile.abbreviation:
        _sub(titles, "abbrev-journal-title", profile.abbreviation, abbrev_type="publisher")
    issns = [("print", profile.issn_print), ("electronic", profile.issn_online)]
    present = [(fmt, value) for fmt, value in issns if value]
    if not present:
        # The Publishing schema requires an <issn>; a journal without one yet gets an empty
        # element and a report line, so the gap is visible rather than invented.
        report.missing.append(
            "journal ISSN (set fde.journal.issn_online / fde.journal.issn_print); <issn> left empty"
        )
        present = [("electronic", "")]
    for fmt, value in present:
        _sub(meta, "issn", value, publication_format=fmt)
    publisher = _sub(meta, "publisher")
    _sub(publisher, "publisher-name", profile.publisher)
    if profile.publisher_location:
        _sub(publisher, "publisher-loc", profile.publisher_location)
    return meta


# --- article-meta -------------------------------------------------------------------------


def _name(person: Mapping[str, Any], lang: str | None, style: str = "western") -> Any:
    name = _el("name", attrib={"name-style": style})
    if lang:
        name.set(XML_LANG, lang)
    _sub(name, "surname", person["family_names"])
    if person.get("given_names"):
        _sub(name, "given-names", person["given_names"])
    if person.get("prefix"):
        _sub(name, "prefix", person["prefix"])
    if person.get("suffix"):
        _sub(name, "suffix", person["suffix"])
    return name


def country_name(code: str, lang: str) -> str:
    """The name of an ISO 3166 country code in the article's language (CLDR, through Babel):
    readers see "China" (中国 in a Chinese article), not "CN". The code itself when Babel
    does not know it."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return locale.territories.get(code.upper()) or code


def _aff_labels(metadata: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """affiliation id -> (element id, label), numbered in order of first use by an author."""
    order: list[str] = []
    for person in metadata.get("contributors", []):
        for ref in person.get("affiliations", []):
            if ref not in order:
                order.append(ref)
    for aff in metadata.get("affiliations", []):
        if aff["id"] not in order:
            order.append(aff["id"])
    return {ref: (f"aff-{_id_token(ref)}", str(i)) for i, ref in enumerate(order, 1)}


def _contrib_group(
    metadata: Mapping[str, Any], lang: str, report: FrontReport
) -> tuple[Any, list[Any], Any]:
    """contrib-group, aff elements and author-notes (or None) for the contributors."""
    labels = _aff_labels(metadata)
    group = _el("contrib-group")
    corresponding: list[Mapping[str, Any]] = []
    equal = False
    for person in metadata.get("contributors", []):
        group.append(_contrib(person, labels, lang))
        if person.get("corresponding"):
            corresponding.append(person)
        if person.get("equal_contribution"):
            equal = True
    affs = [_aff(aff, labels, lang, report) for aff in metadata.get("affiliations", [])]
    notes = None
    if corresponding or equal:
        notes = _author_notes(corresponding, equal, report)
    elif metadata.get("contributors"):
        report.missing.append("a corresponding author (set corresponding: true on one)")
    return group, affs, notes


def _contrib(person: Mapping[str, Any], labels: dict[str, tuple[str, str]], lang: str) -> Any:
    """One ``<contrib>``: its flags, ORCID, name (with the native form), email, CRediT roles
    and the links to its affiliations and notes."""
    contrib = _el("contrib", attrib={"contrib-type": person.get("contrib_type", "author")})
    if person.get("corresponding"):
        contrib.set("corresp", "yes")
    if person.get("equal_contribution"):
        contrib.set("equal-contrib", "yes")
    if person.get("deceased"):
        contrib.set("deceased", "yes")
    if person.get("orcid"):
        _sub(
            contrib,
            "contrib-id",
            _orcid_url(person["orcid"]),
            contrib_id_type="orcid",
            authenticated="false",
        )
    native = person.get("native_name")
    if native:
        alternatives = _sub(contrib, "name-alternatives")
        alternatives.append(_name(person, lang))
        style = native.get("name_style") or (
            "eastern" if native["lang"].split("-")[0] in {"zh", "ja", "ko", "vi"} else "western"
        )
        alternatives.append(_name(native, native["lang"], style))
    else:
        contrib.append(_name(person, None))
    if person.get("email"):
        _sub(contrib, "email", person["email"])
    for role in person.get("credit_roles", []):
        _sub(
            contrib,
            "role",
            role,
            vocab="credit",
            vocab_identifier=CREDIT_VOCAB_IDENTIFIER,
            vocab_term=role,
            vocab_term_identifier=(
                f"{CREDIT_VOCAB_IDENTIFIER}contributor-roles/{CREDIT_ROLE_SLUGS[role]}/"
            ),
        )
    for ref in person.get("affiliations", []):
        rid, label = labels[ref]
        _sub(contrib, "xref", label, ref_type="aff", rid=rid)
    if person.get("corresponding"):
        _sub(contrib, "xref", "*", ref_type="corresp", rid="cor1")
    if person.get("equal_contribution"):
        _sub(contrib, "xref", "†", ref_type="fn", rid="fn-equal")
    return contrib


def _aff(
    aff: Mapping[str, Any], labels: dict[str, tuple[str, str]], lang: str, report: FrontReport
) -> Any:
    """One ``<aff>``: label, institution (ROR id, department), city and country."""
    rid, label = labels[aff["id"]]
    element = _el("aff", attrib={"id": rid})
    _sub(element, "label", label)
    wrap = _sub(element, "institution-wrap")
    if aff.get("ror"):
        _sub(wrap, "institution-id", _ror_url(aff["ror"]), institution_id_type="ror")
    else:
        report.warnings.append(f"affiliation {aff['id']!r} has no ROR id")
    if aff.get("department"):
        _sub(wrap, "institution", aff["department"], content_type="dept")
    _sub(wrap, "institution", aff["institution"])
    if aff.get("city"):
        wrap.tail = ", "
        _sub(element, "city", aff["city"])
    if aff.get("country") or aff.get("country_code"):
        last = element[-1]
        last.tail = ", "
        _sub(
            element,
            "country",
            aff.get("country") or country_name(aff["country_code"], lang),
            country=aff.get("country_code", ""),
        )
    return element


def _author_notes(corresponding: list[Mapping[str, Any]], equal: bool, report: FrontReport) -> Any:
    """``<author-notes>``: the correspondence line with each corresponding author's email,
    and the equal-contribution note."""
    notes = _el("author-notes")
    if corresponding:
        corresp = _sub(notes, "corresp", id="cor1")
        corresp.text = "Correspondence: "
        for i, person in enumerate(corresponding):
            if person.get("email"):
                email = _sub(corresp, "email", person["email"])
                email.tail = "; " if i < len(corresponding) - 1 else None
            else:
                report.missing.append(f"email of corresponding author {person['family_names']}")
    if equal:
        fn = _sub(notes, "fn", id="fn-equal", fn_type="equal")
        _sub(fn, "p", "These authors contributed equally to this work.")
    return notes


def _history(metadata: Mapping[str, Any]) -> Any | None:
    history = metadata.get("history") or {}
    entries: list[tuple[str, str]] = []
    for key in ("received", "revised", "accepted"):
        values = history.get(key)
        for value in [values] if isinstance(values, str) else values or []:
            entries.append(("rev-recd" if key == "revised" else key, value))
    if not entries:
        return None
    element = _el("history")
    for date_type, value in entries:
        _date_parts(_sub(element, "date", date_type=date_type, iso_8601_date=value), value)
    return element


def _permissions(
    metadata: Mapping[str, Any], profile: JournalProfile, year: str | None, report: FrontReport
) -> Any:
    permissions = _el("permissions")
    copyright_ = metadata.get("copyright") or {}
    holder = copyright_.get("holder")
    year = str(copyright_["year"]) if copyright_.get("year") else year
    if not holder:
        holder = "The Author(s)"
        report.missing.append("copyright holder (assumed 'The Author(s)')")
    if not year:
        year = str(date.today().year)
        report.missing.append(f"copyright year (assumed {year})")
    statement = copyright_.get("statement") or f"© {year} {holder}"
    _sub(permissions, "copyright-statement", statement)
    _sub(permissions, "copyright-year", year)
    _sub(permissions, "copyright-holder", holder)
    licence_url = metadata.get("license_url") or profile.licence_url
    licence = _sub(permissions, "license", license_type="open-access")
    licence.set(f"{{{XLINK}}}href", licence_url)
    _sub(licence, f"{{{ALI}}}license_ref", licence_url)
    _sub(
        licence,
        "license-p",
        f"This is an open-access article distributed under the terms of the "
        f"{profile.licence_name}, which permits unrestricted use, distribution and "
        f"reproduction in any medium, provided the original author(s) and source are credited.",
    )
    return permissions


def build_article_meta(
    metadata: Mapping[str, Any],
    profile: JournalProfile,
    report: FrontReport,
    *,
    fallback_title: str | None = None,
) -> Any:
    """article-meta in schema order; what is absent is listed in ``report.missing``."""
    lang = metadata.get("language") or profile.language
    meta = _el("article-meta")
    _ids_and_categories(meta, metadata, report)
    _title_group(meta, metadata, report, fallback_title)
    if metadata.get("contributors"):
        group, affs, notes = _contrib_group(metadata, lang, report)
        meta.append(group)
        meta.extend(affs)
        if notes is not None:
            meta.append(notes)
    else:
        report.missing.append("contributors")
    pub_dates = _dates_and_place(meta, metadata, report)
    history = _history(metadata)
    if history is not None:
        meta.append(history)
    else:
        report.missing.append("history dates (received, accepted)")
    pub_year = pub_dates[0]["date"][:4] if pub_dates else None
    meta.append(_permissions(metadata, profile, pub_year, report))
    _abstracts(meta, metadata, lang, report)
    for group in metadata.get("keywords", []):
        element = _sub(meta, "kwd-group", kwd_group_type="author")
        element.set(XML_LANG, group["lang"])
        for term in group["terms"]:
            _sub(element, "kwd", term)
    if not metadata.get("keywords"):
        report.missing.append("keywords")
    if metadata.get("funding") or metadata.get("funding_statement"):
        meta.append(_funding_group(metadata))
    return meta


def _ids_and_categories(meta: Any, metadata: Mapping[str, Any], report: FrontReport) -> None:
    """The DOI and publisher id, then the section heading and the subjects."""
    if metadata.get("doi"):
        _sub(meta, "article-id", metadata["doi"], pub_id_type="doi")
    else:
        report.missing.append("DOI")
    if metadata.get("elocation_id"):
        _sub(meta, "article-id", metadata["elocation_id"], pub_id_type="publisher-id")

    if metadata.get("section") or metadata.get("subjects"):
        categories = _sub(meta, "article-categories")
        if metadata.get("section"):
            heading = _sub(categories, "subj-group", subj_group_type="heading")
            _sub(heading, "subject", metadata["section"])
        if metadata.get("subjects"):
            topics = _sub(categories, "subj-group", subj_group_type="discipline")
            for subject in metadata["subjects"]:
                _sub(topics, "subject", subject)
    else:
        report.missing.append("section (article subject heading)")


def _title_group(
    meta: Any, metadata: Mapping[str, Any], report: FrontReport, fallback_title: str | None
) -> None:
    """Title (the document's own when the metadata has none), subtitle, translations."""
    title_group = _sub(meta, "title-group")
    title = metadata.get("title") or fallback_title
    if not title:
        report.missing.append("title (neither metadata nor the document has one)")
        title = "Untitled"
    _sub(title_group, "article-title", title)
    if metadata.get("subtitle"):
        _sub(title_group, "subtitle", metadata["subtitle"])
    for trans in metadata.get("trans_titles", []):
        group = _sub(title_group, "trans-title-group")
        group.set(XML_LANG, trans["lang"])
        _sub(group, "trans-title", trans["title"])
        if trans.get("subtitle"):
            _sub(group, "trans-subtitle", trans["subtitle"])


def _dates_and_place(
    meta: Any, metadata: Mapping[str, Any], report: FrontReport
) -> list[Mapping[str, Any]]:
    """Publication dates, volume, issue and pages (or elocation id); returns the dates."""
    pub_dates = metadata.get("publication_dates") or []
    for pub in pub_dates:
        element = _sub(
            meta,
            "pub-date",
            publication_format=pub.get("format", "electronic"),
            date_type=pub.get("type", "pub"),
            iso_8601_date=pub["date"],
        )
        _date_parts(element, pub["date"])
    if not pub_dates:
        _sub(meta, "pub-date-not-available")
        report.missing.append("publication date (pub-date-not-available written)")
    for key in ("volume", "issue"):
        if metadata.get(key):
            _sub(meta, key, metadata[key])
    if metadata.get("fpage"):
        _sub(meta, "fpage", metadata["fpage"])
        if metadata.get("lpage"):
            _sub(meta, "lpage", metadata["lpage"])
    elif metadata.get("elocation_id"):
        _sub(meta, "elocation-id", metadata["elocation_id"])
    return pub_dates


def _abstracts(meta: Any, metadata: Mapping[str, Any], lang: str, report: FrontReport) -> None:
    """The abstract in the article's language (else the first), the others translated."""
    abstracts = metadata.get("abstracts") or []
    main = [a for a in abstracts if a["lang"] == lang] or abstracts[:1]
    for abstract in main:
        element = _sub(meta, "abstract")
        if abstract["lang"] != lang:
            element.set(XML_LANG, abstract["lang"])
        if abstract.get("title"):
            _sub(element, "title", abstract["title"])
        _paragraphs(element, abstract["text"])
    if not abstracts:
        report.missing.append("abstract")
    for abstract in abstracts:
        if abstract in main:
            continue
        element = _sub(meta, "trans-abstract")
        element.set(XML_LANG, abstract["lang"])
        if abstract.get("title"):
            _sub(element, "title", abstract["title"])
        _paragraphs(element, abstract["text"])


def _funding_group(metadata: Mapping[str, Any]) -> Any:
    group = _el("funding-group")
    contributors = metadata.get("contributors", [])
    for i, fund in enumerate(metadata.get("funding", []), 1):
        award = _sub(group, "award-group", id=f"award-{i}")
        source = _sub(award, "funding-source")
        wrap = _sub(source, "institution-wrap")
        if fund.get("funder_doi"):
            _sub(
                wrap,
                "institution-id",
                _funder_doi(fund["funder_doi"]),
                institution_id_type="doi",
                vocab=FUNDER_REGISTRY_VOCAB,
                vocab_identifier=FUNDER_REGISTRY_IDENTIFIER,
            )
        if fund.get("funder_ror"):
            _sub(wrap, "institution-id", _ror_url(fund["funder_ror"]), institution_id_type="ror")
        _sub(wrap, "institution", fund["funder_name"])
        for award_id in fund.get("award_ids", []):
            _sub(award, "award-id", award_id)
        if fund.get("award_title"):
            _sub(award, "award-name", fund["award_title"])
        for index in fund.get("recipients", []):
            recipient = _sub(award, "principal-award-recipient")
            recipient.append(_name(contributors[index], None))
    if metadata.get("funding_statement"):
        _sub(group, "funding-statement", metadata["funding_statement"])
    return group


def build_front(
    metadata: Mapping[str, Any] | None,
    profile: JournalProfile,
    *,
    fallback_title: str | None = None,
) -> tuple[Any, FrontReport]:
    """The whole ``<front>`` from metadata (may be empty) and the journal profile."""
    report = FrontReport()
    front = _el("front")
    front.append(build_journal_meta(profile, report))
    front.append(build_article_meta(metadata or {}, profile, report, fallback_title=fallback_title))
    return front, report


def build_back_matter(metadata: Mapping[str, Any] | None) -> list[Any]:
    """ack, data availability, ethics and competing interests, as back-matter elements."""
    metadata = metadata or {}
    elements = []
    if metadata.get("acknowledgements"):
        ack = _el("ack", attrib={"id": "ack"})
        _sub(ack, "title", "Acknowledgements")
        _paragraphs(ack, metadata["acknowledgements"])
        elements.append(ack)
    if metadata.get("data_availability"):
        notes = _el("notes", attrib={"notes-type": "data-availability", "id": "data-availability"})
        _sub(notes, "title", "Data availability statement")
        _paragraphs(notes, metadata["data_availability"])
        elements.append(notes)
    if metadata.get("ethics_statement"):
        notes = _el("notes", attrib={"notes-type": "ethics-statement", "id": "ethics-statement"})
        _sub(notes, "title", "Ethics statement")
        _paragraphs(notes, metadata["ethics_statement"])
        elements.append(notes)
    if metadata.get("competing_interests"):
        group = _el("fn-group", attrib={"content-type": "competing-interests"})
        _sub(group, "title", "Competing interests")
        fn = _sub(group, "fn", fn_type="coi-statement", id="fn-coi")
        _paragraphs(fn, metadata["competing_interests"])
        elements.append(group)
    return elements
