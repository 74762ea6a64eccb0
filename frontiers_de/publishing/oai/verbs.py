"""The six verbs: the response document to a request, built from the repository's
records; and its validation against the official schemas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lxml import etree

from frontiers_de.publishing.oai.crosswalks import DC_NS, FORMATS, OAI_DC_NS, XSI_NS
from frontiers_de.publishing.oai.protocol import (
    GRANULARITY,
    OAI_NS,
    OAI_SCHEMA,
    ListQuery,
    OaiError,
    TokenCodec,
    format_datestamp,
    list_query,
    parse_arguments,
)
from frontiers_de.publishing.oai.repository import RecordRow, Repository
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import SchemaError, validate


def _oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    el = etree.SubElement(parent, _oai(tag), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _envelope(
    now: dt.datetime, base_url: str, verb: str | None, args: Mapping[str, str]
) -> etree._Element:
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _sub(root, "responseDate", format_datestamp(now))
    request = _sub(root, "request", base_url)
    if verb is not None:
        request.set("verb", verb)
        for key in sorted(args):
            request.set(key, args[key])
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _header(parent: etree._Element, repo: Repository, row: RecordRow) -> None:
    header = _sub(parent, "header", status="deleted" if row.deleted else None)
    _sub(header, "identifier", repo.identifier(row.article))
    _sub(header, "datestamp", format_datestamp(row.datestamp))
    for spec in row.set_specs:
        _sub(header, "setSpec", spec)


def _record(parent: etree._Element, repo: Repository, row: RecordRow, prefix: str) -> None:
    record = _sub(parent, "record")
    _header(record, repo, row)
    if not row.deleted:
        _sub(record, "metadata").append(repo.metadata(row, prefix))


def respond(
    pairs: Sequence[tuple[str, str]], repo: Repository, now: dt.datetime | None = None
) -> bytes:
    """The OAI-PMH response document to a request with these arguments (query string or
    form body, in order, repeats kept)."""
    now = now or dt.datetime.now(dt.UTC)
    base_url = repo.config.base_url
    try:
        verb, args = parse_arguments(pairs)
    except OaiError as exc:
        # After badVerb or badArgument the request element carries no attributes.
        root = _envelope(now, base_url, None, {})
        _sub(root, "error", exc.message, code=exc.code)
        return _serialise(root)
    try:
        body = _VERB_HANDLERS[verb](repo, args, now)
    except OaiError as exc:
        bad_request = exc.code in ("badVerb", "badArgument")
        root = _envelope(now, base_url, None if bad_request else verb, args)
        _sub(root, "error", exc.message, code=exc.code)
    else:
        root = _envelope(now, base_url, verb, args)
        root.append(body)
    return _serialise(root)


def _identify(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    el = etree.Element(_oai("Identify"))
    _sub(el, "repositoryName", repo.journal.title)
    _sub(el, "baseURL", repo.config.base_url)
    _sub(el, "protocolVersion", "2.0")
    for email in repo.config.admin_emails:
        _sub(el, "adminEmail", email)
    _sub(el, "earliestDatestamp", format_datestamp(repo.earliest_datestamp()))
    _sub(el, "deletedRecord", "persistent")
    _sub(el, "granularity", GRANULARITY)
    return el


def _list_metadata_formats(
    repo: Repository, args: Mapping[str, str], now: dt.datetime
) -> etree._Element:
    formats = list(FORMATS.values())
    if "identifier" in args:
        row = repo.find(args["identifier"])
        if row is None:
            raise OaiError("idDoesNotExist", "No record has this identifier.")
        formats = repo.formats_of(row)
    el = etree.Element(_oai("ListMetadataFormats"))
    for fmt in formats:
        mf = _sub(el, "metadataFormat")
        _sub(mf, "metadataPrefix", fmt.prefix)
        _sub(mf, "schema", fmt.schema)
        _sub(mf, "metadataNamespace", fmt.namespace)
    return el


def _list_sets(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    if "resumptionToken" in args:
        # Every set is in the first response, so no token of ours continues this list.
        raise OaiError("badResumptionToken", "ListSets is complete in one response.")
    sets = repo.sets()
    if not sets:
        raise OaiError("noSetHierarchy", "This repository has no sets.")
    el = etree.Element(_oai("ListSets"))
    for s in sets:
        set_el = _sub(el, "set")
        _sub(set_el, "setSpec", s.spec)
        _sub(set_el, "setName", s.name)
        if s.description:
            description = _sub(set_el, "setDescription")
            dc = etree.SubElement(
                description,
                f"{{{OAI_DC_NS}}}dc",
                nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS},
            )
            etree.SubElement(dc, f"{{{DC_NS}}}description").text = s.description
    return el


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            f"The metadata formats are {', '.join(FORMATS)}; {prefix!r} is not one of them.",
        )


def _get_record(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    row = repo.find(args["identifier"])
    if row is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    prefix = args["metadataPrefix"]
    _check_prefix(prefix)
    if FORMATS[prefix] not in repo.formats_of(row):
        raise OaiError("cannotDisseminateFormat", f"This record is not available as {prefix}.")
    el = etree.Element(_oai("GetRecord"))
    _record(el, repo, row, prefix)
    return el


_Handler = Callable[["Repository", Mapping[str, str], dt.datetime], etree._Element]


def _list(verb: str) -> _Handler:
    def handler(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
        codec = TokenCodec(repo.config.secret, repo.config.token_ttl, repo.journal.id)
        if "resumptionToken" in args:
            query = codec.load(args["resumptionToken"], verb)
        else:
            query = list_query(verb, args)
            _check_prefix(query.prefix)
            if query.set_spec and not repo.sets():
                raise OaiError("noSetHierarchy", "This repository has no sets.")
        rows, total, more = repo.page(query)
        if not rows:
            raise OaiError("noRecordsMatch", "No records match the arguments.")
        el = etree.Element(_oai(verb))
        for row in rows:
            if verb == "ListRecords":
                _record(el, repo, row, query.prefix)
            else:
                _header(el, repo, row)
        if more or query.after is not None:
            # The last page of a list that took several requests gets an empty token.
            attrs = {
                "completeListSize": str(max(total, query.cursor + len(rows))),
                "cursor": str(query.cursor),
            }
            token = None
            if more:
                last = rows[-1]
                following = ListQuery(
                    verb,
                    query.prefix,
                    query.set_spec,
                    query.start,
                    query.end,
                    (last.datestamp, last.article.id),
                    query.cursor + len(rows),
                )
                token = codec.dump(following)
                attrs["expirationDate"] = format_datestamp(now + codec.ttl)
            _sub(el, "resumptionToken", token, **attrs)
        return el

    return handler


_VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list("ListIdentifiers"),
    "ListRecords": _list("ListRecords"),
}


def validate_response(
    document: bytes | etree._Element, settings: Mapping[str, Any] | None = None
) -> list[SchemaError]:
    """Every schema error of a response (an empty list: valid), against the official
    OAI-PMH schema with its record metadata checked strictly: oai_dc against its schema,
    JATS against the JATS 1.3 schema (``fde.schema_dir``)."""
    root = parse_xml(document).getroot() if isinstance(document, bytes) else document
    return validate(root, "oai-pmh-response", settings)
