"""Files that betray their authors the way real ones do, for the anonymity tests: a DOCX
with document properties, company, custom properties, comment and tracked-change authors,
a co-author's account, a first-page thumbnail, a template on the author's disk; an ODT with
meta.xml, change and annotation creators, a printer named after its owner and a thumbnail;
a PDF with an Info dictionary, an XMP packet and an annotation author; a JPEG with EXIF,
XMP and a comment; a PNG with text chunks; a TIFF with Artist and Copyright.

The author: Meiling Zhou (周美玲), meiling.zhou@example.edu.cn, ORCID 0000-0002-1825-0097,
East China Normal University, ROR https://ror.org/02n96ep67, and her co-author Rafael
Okonkwo. Every builder writes the parts itself (zipfile + plain XML, pikepdf, Pillow): no
office suite is needed.
"""

from __future__ import annotations

import io
import zipfile

import pikepdf
from PIL import Image, PngImagePlugin

GIVEN, FAMILY, NATIVE = "Meiling", "Zhou", "周美玲"
EMAIL = "meiling.zhou@example.edu.cn"
ORCID = "0000-0002-1825-0097"
INSTITUTION = "East China Normal University"
ROR = "https://ror.org/02n96ep67"
COMPANY = "Zhou Research Lab"
COAUTHOR = "Rafael Okonkwo"
# What must be in no reviewer copy's hidden parts (the visible text is the leak check's).
SECRETS = (GIVEN, FAMILY, NATIVE, EMAIL, ORCID, COMPANY, "Okonkwo", "zhoum")


class Person:
    """A contributor row's shape, for the leak check's terms."""

    def __init__(self, given, family, native="", email="", orcid=None, affiliations=()):
        self.given_name = given
        self.family_name = family
        self.native_name = native
        self.email = email
        self.orcid = orcid
        self.affiliations = list(affiliations)


AUTHORS = [
    Person(GIVEN, FAMILY, NATIVE, EMAIL, ORCID, [{"name": INSTITUTION, "ror": ROR}]),
    Person("Rafael", "Okonkwo", email="r.okonkwo@example.org"),
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def _p(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def docx(
    body_paragraphs: tuple[str, ...] = (
        "Blended learning in first-year mathematics",
        "We followed 400 students through two semesters.",
    ),
    references: tuple[str, ...] = (
        "Zhou, M. (2021). Flipped classrooms at scale. Computers &amp; Education, 12, 1-9.",
    ),
    header: str = "",
) -> bytes:
    """A Word document whose every hidden corner names the authors. ``header``: visible
    text for the page header (a leak the author must fix themselves)."""
    body = "".join(_p(t) for t in body_paragraphs)
    body += (
        '<w:p><w:ins w:id="1" w:author="Meiling Zhou" w:date="2026-10-01T10:00:00Z">'
        "<w:r><w:t>A sentence added in revision.</w:t></w:r></w:ins>"
        '<w:del w:id="2" w:author="Rafael Okonkwo" w:initials="RO" '
        'w:date="2026-10-02T10:00:00Z"><w:r><w:delText>An old sentence.</w:delText></w:r>'
        '</w:del><w:commentRangeStart w:id="0"/><w:r><w:t>Commented text.</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        '<w:p><w:pPr><w:rPr><w:rPrChange w:id="3" w:author="Meiling Zhou" '
        'w:date="2026-10-03T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr></w:pPr>'
        "<w:r><w:t>Formatting changed.</w:t></w:r></w:p>"
    )
    if references:
        body += _p("References", "Heading1") + "".join(_p(t, "Bibliography") for t in references)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}'
        f'<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/></w:sectPr>'
        f"</w:body></w:document>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PR}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
            '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PR}">'
            '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/header" Target="header1.xml"/>'
            '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/comments" Target="comments.xml"/>'
            '<Relationship Id="rIdP" Type="http://schemas.microsoft.com/office/2011/'
            'relationships/people" Target="people.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/settings.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PR}">'
            '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/attachedTemplate" '
            'Target="file:///C:\\Users\\zhoum\\AppData\\Templates\\Normal.dotm" '
            'TargetMode="External"/></Relationships>'
        ),
        "word/document.xml": document,
        "word/header1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W}">{_p(header)}</w:hdr>'
        ),
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}">'
            '<w:comment w:id="0" w:author="Meiling Zhou" w:initials="MZ" '
            'w:date="2026-10-01T10:00:00Z">'
            f"{_p('Check the second cohort again.')}</w:comment></w:comments>"
        ),
        "word/people.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="{W15}">'
            '<w15:person w15:author="Meiling Zhou"><w15:presenceInfo w15:providerId="AD" '
            f'w15:userId="S::{EMAIL}::6c1d"/></w15:person></w15:people>'
        ),
        "word/settings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{W}" xmlns:r="{R}">'
            '<w:attachedTemplate r:id="rIdT"/><w:docVars><w:docVar w:name="owner" '
            'w:val="Meiling Zhou"/></w:docVars></w:settings>'
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>Zhou draft 3</dc:title><dc:creator>Meiling Zhou</dc:creator>"
            "<cp:lastModifiedBy>Rafael Okonkwo</cp:lastModifiedBy>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-09-01T08:00:00Z</dcterms:created>'
            "<cp:revision>7</cp:revision></cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>Microsoft Office Word</Application>'
            f"<Company>{COMPANY}</Company><Manager>{COAUTHOR}</Manager><Pages>3</Pages>"
            "</Properties>"
        ),
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
            f'pid="2" name="AuthorEmail"><vt:lpwstr>{EMAIL}</vt:lpwstr></property>'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ORCID">'
            f"<vt:lpwstr>{ORCID}</vt:lpwstr></property></Properties>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text.encode("utf-8"))
        z.writestr("docProps/thumbnail.jpeg", jpeg())
        z.comment = f"saved by {GIVEN} {FAMILY}".encode()
    return buf.getvalue()


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'office:version="1.3"'
)


def odt(body: str = "Blended learning, and what <text:span>changed</text:span>.") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
        "<office:body><office:text><text:tracked-changes>"
        '<text:changed-region text:id="ct1"><text:insertion><office:change-info>'
        "<dc:creator>Meiling Zhou</dc:creator><dc:date>2026-10-01T10:00:00</dc:date>"
        "</office:change-info></text:insertion></text:changed-region>"
        "</text:tracked-changes>"
        f"<text:p>{body}<office:annotation><dc:creator>Rafael Okonkwo</dc:creator>"
        "<meta:creator-initials>RO</meta:creator-initials>"
        "<text:p>Is this figure right?</text:p></office:annotation></text:p>"
        "<text:h>References</text:h>"
        "<text:p>Zhou, M. (2021). Flipped classrooms at scale.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS}><office:meta>'
        "<meta:initial-creator>Meiling Zhou</meta:initial-creator>"
        "<dc:creator>Rafael Okonkwo</dc:creator><dc:title>Zhou draft</dc:title>"
        f'<meta:user-defined meta:name="Email">{EMAIL}</meta:user-defined>'
        "<meta:generator>LibreOffice/7.6</meta:generator>"
        "</office:meta></office:document-meta>"
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ODF_NS}>'
        '<office:settings><config:config-item-set config:name="ooo:configuration-settings">'
        '<config:config-item config:name="PrinterName" config:type="string">'
        "Zhou-HP-LaserJet</config:config-item></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" '
        'manifest:media-type="image/png"/></manifest:manifest>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # first and stored, as ODF wants
        for name, text in (
            ("content.xml", content),
            ("meta.xml", meta),
            ("settings.xml", settings),
            ("META-INF/manifest.xml", manifest),
        ):
            z.writestr(name, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        z.writestr("Thumbnails/thumbnail.png", png(), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def pdf(lines: tuple[str, ...] = ("Blended learning in first-year mathematics",)) -> bytes:
    """A one-page PDF with its text in Helvetica, an Info dictionary and an XMP packet
    naming the author, and a sticky note by her."""
    doc = pikepdf.new()
    font = doc.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    ops = ["BT /F1 12 Tf 72 720 Td 16 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    page = doc.add_blank_page(page_size=(612, 792))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = doc.make_stream(" ".join(ops).encode("latin-1"))
    page.obj.Annots = doc.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Text,
                    Rect=[100, 100, 120, 120],
                    T=pikepdf.String(f"{GIVEN} {FAMILY}"),
                    Contents=pikepdf.String("Shorten this."),
                )
            ]
        )
    )
    doc.docinfo["/Author"] = f"{GIVEN} {FAMILY}"
    doc.docinfo["/Creator"] = f"Word for {COMPANY}"
    doc.docinfo["/Title"] = "Zhou draft"
    with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [f"{GIVEN} {FAMILY}", COAUTHOR]
        meta["xmp:CreatorTool"] = COMPANY
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = f"{GIVEN} {FAMILY}"  # Artist
    exif[0x8298] = f"(c) {COMPANY}"  # Copyright
    exif[0x010E] = f"Photo by {EMAIL}"  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotated, must survive
    return exif


XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{GIVEN} {FAMILY}"/>'
    "</rdf:RDF></x:xmpmeta>"
).encode()


def _picture() -> Image.Image:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    for x in range(20):
        image.putpixel((x, 5), (0, 0, 255))
    return image


def jpeg() -> bytes:
    out = io.BytesIO()
    _picture().save(
        out, format="JPEG", exif=_exif(), xmp=XMP, comment=f"by {GIVEN} {FAMILY}", quality=95
    )
    return out.getvalue()


def png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", f"{GIVEN} {FAMILY}")
    info.add_text("Comment", f"{EMAIL}", zip=True)
    info.add_itxt("Copyright", f"{NATIVE} {COMPANY}")
    out = io.BytesIO()
    _picture().save(out, format="PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def tiff() -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="TIFF", exif=_exif(), compression="tiff_lzw")
    return out.getvalue()


def hidden_text(data: bytes) -> str:
    """Every byte of a file and of each zip member it holds, decompressed, as text: what a
    determined reviewer could read with a hex editor."""
    parts = [data.decode("latin-1")]
    if data.startswith(b"%PDF"):
        with pikepdf.open(io.BytesIO(data)) as doc:
            parts.append(repr(doc.trailer))
            for obj in doc.objects:
                if isinstance(obj, pikepdf.Stream):
                    parts.append(obj.read_bytes().decode("latin-1"))
                parts.append(repr(obj))
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts.append(z.comment.decode("latin-1"))
            for name in z.namelist():
                body = z.read(name)
                parts.append(body.decode("utf-8", "replace"))
                parts.append(hidden_text(body) if zipfile.is_zipfile(io.BytesIO(body)) else "")
    return "\n".join(parts)
