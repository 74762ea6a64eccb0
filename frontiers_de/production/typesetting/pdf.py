"""Print HTML to PDF with WeasyPrint: tagged PDF/UA-1 by default, or PDF/A-3b for archiving.

PDF/UA-1 gives a structure tree (headings, paragraphs, figures with alt text, links) so
screen readers and text miners can read the article. PDF/A-3b is the archival copy: fonts
embedded, sRGB output intent, and the JATS XML itself attached as an associated file
(``AFRelationship /Source``), so the archive holds the source beside the rendering. Both
carry XMP metadata: WeasyPrint writes title, authors, description and dates; we add the DOI,
licence, keywords, language and journal (Dublin Core, XMP Rights and PRISM, with the PDF/A
extension schema that declares PRISM).
"""

from __future__ import annotations

import io
import logging
import struct
import time
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

import weasyprint
import weasyprint.images
from weasyprint.pdf.metadata import DocumentMetadata

from frontiers_de.production.jats.meta import ArticleMeta
from frontiers_de.production.typesetting import tagging

VARIANTS = {"ua": "pdf/ua-1", "pdfa": "pdf/a-3b"}

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
PRISM = "http://prismstandard.org/namespaces/basic/3.0/"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# PDF/A validators check the prefixes of the extension-schema namespaces, not only their
# URIs, so ElementTree must write these names rather than ns0, ns1 …
for _prefix, _uri in {
    "prism": PRISM,
    "xmpRights": XMP_RIGHTS,
    "pdfaExtension": PDFA_EXTENSION,
    "pdfaSchema": PDFA_SCHEMA,
    "pdfaProperty": PDFA_PROPERTY,
}.items():
    register_namespace(_prefix, _uri)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# IHDR colour types whose IDAT stream PDF's FlateDecode with the PNG predictor reads as is:
# grey (0) and RGB (2). Palette and alpha images need WeasyPrint's conversion.
_PASSTHROUGH_COLOUR_TYPES = {0: "L", 2: "RGB"}


def png_idat_passthrough(data: bytes, mode: str) -> bytes | None:
    """The joined IDAT data of ``data`` if PDF can embed it without decoding, else None.

    A PDF image with ``/FlateDecode`` and ``/Predictor 15`` holds exactly what a PNG's IDAT
    chunks hold (zlib stream of filtered scanlines), provided the PNG is 8 bits per sample,
    not interlaced, and grey or RGB matching the colour space WeasyPrint declares (``mode``).
    """
    if len(data) < 33 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    bit_depth, colour_type, compression, filter_method, interlace = data[24:29]
    if (
        bit_depth != 8
        or _PASSTHROUGH_COLOUR_TYPES.get(colour_type) != mode
        or (compression, filter_method, interlace) != (0, 0, 0)
    ):
        return None
    chunks: list[bytes] = []
    offset = 8
    while offset + 8 <= len(data):
        (length,) = struct.unpack_from("!I", data, offset)
        kind = data[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(data):
            return None  # truncated file: let Pillow report it
        if kind == b"IDAT":
            body = data[offset + 8 : offset + 8 + length]
            if zlib.crc32(kind + body) != struct.unpack_from("!I", data, end - 4)[0]:
                return None
            chunks.append(body)
        elif kind == b"IEND":
            break
        offset = end
    return b"".join(chunks) or None


_reencode_png = weasyprint.images.RasterImage._get_png_data


def _png_data(pillow_image):
    # WeasyPrint 70 decodes every PNG figure and encodes it again with Pillow only to take
    # the IDAT chunks of the result (``RasterImage._get_png_data``): 0.45 s for six print
    # figures of the 20-page benchmark article. When the figure file is already an 8-bit,
    # non-interlaced grey or RGB PNG (what images.py hands over), its own IDAT chunks are
    # what the PDF needs, byte for byte the same pixels, so we take them directly. Any other
    # image (palette, alpha, 16 bit, converted in memory) goes through WeasyPrint's code.
    source = getattr(pillow_image, "fp", None)
    if pillow_image.format == "PNG" and isinstance(source, io.BytesIO):
        data = png_idat_passthrough(source.getvalue(), pillow_image.mode)
        if data is not None:
            return data
    return _reencode_png(pillow_image)


weasyprint.images.RasterImage._get_png_data = staticmethod(_png_data)
# /Lang, /Scope and /Formula in the structure tree (see tagging.py).
tagging.install()


class LayoutError(RuntimeError):
    """WeasyPrint could not lay out the print HTML."""


@dataclass
class RenderedPDF:
    pdf: bytes
    pages: int
    layout_seconds: float
    write_seconds: float
    messages: list[str] = field(default_factory=list)


def article_xmp(meta: ArticleMeta, journal: str, licence_url: str) -> list[tuple[str, str, object]]:
    """The XMP properties we add beyond WeasyPrint's: (namespace, name, value)."""
    props: list[tuple[str, str, object]] = []
    if meta.doi:
        props.append((DC, "identifier", f"doi:{meta.doi}"))
        props.append((PRISM, "doi", meta.doi))
        props.append((PRISM, "url", f"https://doi.org/{meta.doi}"))
    rights = " ".join(p for p in (meta.copyright_statement, meta.license_text or licence_url) if p)
    if rights:
        props.append((DC, "rights", ("alt", rights)))
    if licence_url:
        props.append((XMP_RIGHTS, "WebStatement", licence_url))
        props.append((XMP_RIGHTS, "Marked", "True"))
    keywords = [k for words in meta.keywords.values() for k in words]
    if keywords:
        props.append((DC, "subject", ("bag", keywords)))
    if meta.language:
        props.append((DC, "language", ("bag", [meta.language])))
    if journal:
        props.append((PRISM, "publicationName", journal))
    if meta.publisher_name:
        props.append((DC, "publisher", ("bag", [meta.publisher_name])))
    return props


def _prism_extension_schema(parent: Element) -> None:
    """PDF/A-2/3 accept only XMP schemas they know or that the file declares; PRISM is not
    among the known ones, so it is declared here."""
    description = SubElement(parent, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    schemas = SubElement(SubElement(description, f"{{{PDFA_EXTENSION}}}schemas"), f"{{{RDF}}}Bag")
    schema = SubElement(schemas, f"{{{RDF}}}li", {f"{{{RDF}}}parseType": "Resource"})
    SubElement(schema, f"{{{PDFA_SCHEMA}}}schema").text = "PRISM Basic Metadata"
    SubElement(schema, f"{{{PDFA_SCHEMA}}}namespaceURI").text = PRISM
    SubElement(schema, f"{{{PDFA_SCHEMA}}}prefix").text = "prism"
    properties = SubElement(SubElement(schema, f"{{{PDFA_SCHEMA}}}property"), f"{{{RDF}}}Seq")
    for name, description_text in (
        ("doi", "Digital Object Identifier of the article"),
        ("url", "URL of the article"),
        ("publicationName", "Title of the journal"),
    ):
        prop = SubElement(properties, f"{{{RDF}}}li", {f"{{{RDF}}}parseType": "Resource"})
        SubElement(prop, f"{{{PDFA_PROPERTY}}}name").text = name
        SubElement(prop, f"{{{PDFA_PROPERTY}}}valueType").text = "Text"
        SubElement(prop, f"{{{PDFA_PROPERTY}}}category").text = "external"
        SubElement(prop, f"{{{PDFA_PROPERTY}}}description").text = description_text


class ArticleMetadata(DocumentMetadata):
    """WeasyPrint's document metadata plus the article's DOI, licence and keywords in XMP."""

    def __init__(self, base: DocumentMetadata, extra: list[tuple[str, str, object]]) -> None:
        self.__dict__.update(base.__dict__)
        self.extra = extra

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
        if self.extra:
            description = SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
            for namespace, name, value in self.extra:
                element = SubElement(description, f"{{{namespace}}}{name}")
                if isinstance(value, tuple):
                    kind, content = value
                    if kind == "alt":
                        container = SubElement(element, f"{{{RDF}}}Alt")
                        li = SubElement(
                            container, f"{{{RDF}}}li", {f"{{{XML_NS}}}lang": "x-default"}
                        )
                        li.text = str(content)
                    else:
                        container = SubElement(element, f"{{{RDF}}}Bag")
                        for item in content:  # type: ignore[union-attr]
                            SubElement(container, f"{{{RDF}}}li").text = str(item)
                else:
                    element.text = str(value)
            if any(ns == PRISM for ns, _, _ in self.extra) and variant == "a":
                _prism_extension_schema(rdf)
        return tostring(rdf, encoding="utf-8")


class _LogCollector(logging.Handler):
    """WeasyPrint reports problems (unknown CSS, unreachable images) through logging."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages and len(self.messages) < 50:
            self.messages.append(message)


# Only data: URIs are fetched: every figure and formula is embedded by our own code, so a
# JATS file cannot make the typesetter read local files or reach the network.
_FETCHER = weasyprint.URLFetcher(allowed_protocols=["data"], timeout=1)
_FONT_CONFIG: weasyprint.text.fonts.FontConfiguration | None = None


def _font_config():
    # Font lookups are cached inside the configuration; sharing it between articles of one
    # process saves fontconfig work. It holds no article data.
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def warm_up() -> None:
    """Load the font configuration now (for a process that forks workers: preload.py)."""
    _font_config()


def render_pdf(
    html: str,
    *,
    variant: str = "ua",
    meta: ArticleMeta | None = None,
    journal: str = "",
    licence_url: str = "",
    jats_bytes: bytes | None = None,
) -> RenderedPDF:
    """Lay out ``html`` and write the PDF in the given variant (``ua`` or ``pdfa``)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}: use one of {', '.join(VARIANTS)}")
    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        started = time.perf_counter()
        document = weasyprint.HTML(
            string=html, url_fetcher=_FETCHER, base_url="about:blank"
        ).render(font_config=_font_config(), pdf_variant=VARIANTS[variant], pdf_tags=True)
        laid_out = time.perf_counter()
        if meta is not None:
            document.metadata = ArticleMetadata(
                document.metadata, article_xmp(meta, journal, licence_url)
            )
        attachments = []
        if variant == "pdfa" and jats_bytes is not None:
            attachments.append(
                weasyprint.Attachment(
                    file_obj=io.BytesIO(jats_bytes),
                    name="article.xml",
                    description="JATS XML source of this article",
                    relationship="Source",
                )
            )
        pdf = document.write_pdf(
            pdf_variant=VARIANTS[variant], pdf_tags=True, attachments=attachments or None
        )
        written = time.perf_counter()
    except Exception as exc:
        raise LayoutError(f"WeasyPrint failed: {type(exc).__name__}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
    return RenderedPDF(
        pdf, len(document.pages), laid_out - started, written - laid_out, collector.messages
    )
