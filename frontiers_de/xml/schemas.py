"""The official XSDs (JATS, Crossref, OAI-PMH), read from ``fde.schema_dir``.

Compiling a JATS or Crossref schema costs 2-3 s (the MathML 3 module), so each is compiled
once per process, lazily, and kept. The files are never copied into the project.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from frontiers_de.config import schema_dir

# name -> path inside the schema directory
ENTRY_POINTS: dict[str, str] = {
    "jats-1.3": "jats-1.3/JATS-journalpublishing1-3-mathml3.xsd",
    "jats-1.4": "jats-1.4/JATS-journalpublishing1-4-mathml3.xsd",
    "crossref-5.4.0": "crossref-5.4.0/crossref5.4.0.xsd",
    "crossref-5.3.1": "crossref-5.3.1/crossref5.3.1.xsd",
    "oai-pmh": "oai-pmh/OAI-PMH.xsd",
    "oai_dc": "oai-pmh/oai_dc.xsd",
}

# Schemas compiled from a small driver of ours that only refers to the official files.
# "oai-pmh-response" checks a whole OAI-PMH response, record metadata included (the
# envelope's schema processes it strictly): oai_dc, and JATS 1.3 in the namespace the
# ``jats`` format gives it (JATS itself has none, so its schema is included "chameleon"
# style into that namespace). The plain JATS schema is included as well: its ALI module
# refers to JATS groups by their un-namespaced names.
JATS_OAI_NAMESPACE = "https://jats.nlm.nih.gov/ns/archiving/1.3/"
COMPOSITES = ("oai-pmh-response",)
_JATS_IN_NAMESPACE = "oai-pmh/fde-jats-1.3-in-oai-namespace.xsd"  # made in memory only
_XS = "http://www.w3.org/2001/XMLSchema"


def _composite_driver(name: str, root: Path) -> tuple[bytes, dict[str, bytes]]:
    """The driver of a composite schema and the in-memory documents it refers to."""
    assert name == "oai-pmh-response"
    jats = (root / ENTRY_POINTS["jats-1.3"]).resolve()
    for needed in (jats, root / ENTRY_POINTS["oai-pmh"], root / ENTRY_POINTS["oai_dc"]):
        if not needed.exists():
            raise SchemaUnavailable(f"schema file not found at {needed}")
    wrapper = (
        f'<xs:schema xmlns:xs="{_XS}" targetNamespace="{JATS_OAI_NAMESPACE}">'
        f'<xs:include schemaLocation="{jats.as_uri()}"/></xs:schema>'
    ).encode()
    in_namespace = (root / _JATS_IN_NAMESPACE).resolve()
    driver = (
        f'<xs:schema xmlns:xs="{_XS}">'
        f'<xs:include schemaLocation="{jats.as_uri()}"/>'
        f'<xs:import namespace="http://www.openarchives.org/OAI/2.0/" '
        f'schemaLocation="{(root / ENTRY_POINTS["oai-pmh"]).resolve().as_uri()}"/>'
        f'<xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        f'schemaLocation="{(root / ENTRY_POINTS["oai_dc"]).resolve().as_uri()}"/>'
        f'<xs:import namespace="{JATS_OAI_NAMESPACE}" schemaLocation="{in_namespace.as_uri()}"/>'
        "</xs:schema>"
    ).encode()
    return driver, {in_namespace.as_uri(): wrapper, str(in_namespace): wrapper}


class SchemaUnavailable(RuntimeError):
    """The schema directory is not configured or lacks the requested schema."""


@dataclass(frozen=True)
class SchemaError:
    line: int
    message: str


class _CatalogResolver(etree.Resolver):
    """Maps the absolute URLs in the directory's catalog.xml to local files."""

    def __init__(
        self, mapping: Mapping[str, Path], documents: Mapping[str, bytes] | None = None
    ) -> None:
        super().__init__()
        self.mapping = mapping
        self.documents = documents or {}

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        local = self.mapping.get(system_url)
        if local is not None:
            return self.resolve_filename(str(local), context)
        document = self.documents.get(system_url)
        if document is not None:
            return self.resolve_string(document, context, base_url=system_url)
        return None


def _catalog_mapping(root: Path) -> dict[str, Path]:
    catalog = root / "catalog.xml"
    if not catalog.exists():
        return {}
    tree = etree.parse(str(catalog), etree.XMLParser(resolve_entities=False, no_network=True))
    mapping: dict[str, Path] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in {"uri", "system"}:
            key = el.get("name") or el.get("systemId")
            uri = el.get("uri")
            if key and uri:
                mapping[key] = (catalog.parent / uri).resolve()
    return mapping


_cache: dict[tuple[str, str], etree.XMLSchema] = {}
_lock = threading.Lock()


def load_schema(name: str, settings: Mapping[str, Any] | None = None) -> etree.XMLSchema:
    """The compiled schema ``name`` (a key of ENTRY_POINTS, or one of COMPOSITES),
    compiled once per process."""
    root = schema_dir(settings)
    if root is None:
        raise SchemaUnavailable(
            "official schemas not found: set fde.schema_dir or FDE_SCHEMA_DIR "
            "(../shared/schemas in development)"
        )
    key = (str(root), name)
    with _lock:
        if key not in _cache:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            if name in COMPOSITES:
                driver, documents = _composite_driver(name, root)
                parser.resolvers.add(_CatalogResolver(_catalog_mapping(root), documents))
                base = (root / "oai-pmh" / f"fde-{name}.xsd").resolve().as_uri()
                _cache[key] = etree.XMLSchema(etree.fromstring(driver, parser, base_url=base))
            else:
                path = root / ENTRY_POINTS[name]
                if not path.exists():
                    raise SchemaUnavailable(f"schema {name} not found at {path}")
                parser.resolvers.add(_CatalogResolver(_catalog_mapping(root)))
                _cache[key] = etree.XMLSchema(etree.parse(str(path), parser))
        return _cache[key]


def validate(
    tree: etree._ElementTree | etree._Element, name: str, settings: Mapping[str, Any] | None = None
) -> list[SchemaError]:
    """Validate against an official schema; an empty list means valid."""
    schema = load_schema(name, settings)
    try:
        if schema.validate(tree):
            return []
    except etree.XMLSchemaValidateError:
        # libxml2 gives up on a tree it cannot walk (an entity reference left unresolved,
        # for one) with no more than "internal error": say what is wrong instead.
        return [SchemaError(0, _unvalidatable(tree))]
    return [SchemaError(e.line, e.message) for e in schema.error_log]


def _unvalidatable(tree: etree._ElementTree | etree._Element) -> str:
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    entities = sorted({node.name for node in root.iter(etree.Entity)})
    if entities:
        names = ", ".join(f"&{name};" for name in entities[:5])
        return (
            f"the document cannot be checked: it still holds the entity references {names}, "
            "which no declaration resolved"
        )
    return "the document cannot be checked against the schema: the validator could not read it"
