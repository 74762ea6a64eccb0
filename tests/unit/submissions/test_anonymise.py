"""The anonymiser and the leak check, format by format, on files built part by part
(tests/anonymity_samples.py): every hidden name goes, the content stays, what cannot be
cleaned is said, and the leak check finds the names the text still holds and where."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from lxml import etree
from PIL import Image

from frontiers_de.production.jats.archive import ArchiveLimits
from frontiers_de.submissions import anonymise as anonymiser
from frontiers_de.submissions import leaks
from frontiers_de.submissions.anonymise import anonymise
from tests import anonymity_samples as samples

TERMS = leaks.terms_for(samples.AUTHORS)


def names_left(data: bytes, allowed: str = "") -> list[str]:
    text = samples.hidden_text(data).replace(allowed, "") if allowed else samples.hidden_text(data)
    return [s for s in samples.SECRETS if s.casefold() in text.casefold()]


def test_the_samples_do_betray_their_authors():
    # Else the tests below would prove nothing.
    for name, data in (
        ("a.docx", samples.docx(references=())),
        ("a.odt", samples.odt()),
        ("a.pdf", samples.pdf()),
        ("a.jpg", samples.jpeg()),
        ("a.png", samples.png()),
        ("a.tif", samples.tiff()),
    ):
        assert names_left(data), name


def _zip_part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def test_docx_loses_properties_people_thumbnail_and_template_path_but_keeps_its_text():
    result = anonymise(samples.docx(references=()), "paper.docx")
    assert result.cleaned and not result.warnings
    assert names_left(result.data) == []
    for expected in (
        "docProps/core.xml: creator",
        "docProps/core.xml: lastModifiedBy",
        "docProps/app.xml: Company",
        "docProps/custom.xml: custom property 'AuthorEmail'",
        "word/comments.xml: author of comment",
        "word/document.xml: author of ins",
        "word/document.xml: author of del",
        "word/document.xml: author of rPrChange",
        "word/people.xml: presenceInfo",
        "word/settings.xml: document variables",
        "docProps/thumbnail.jpeg: preview image of the first page",
        "word/_rels/settings.xml.rels: local file path",
        "zip archive comment",
    ):
        assert expected in result.removed, expected
    with zipfile.ZipFile(io.BytesIO(result.data)) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert all(i.date_time == anonymiser.ZIP_EPOCH for i in z.infolist())
        assert z.testzip() is None
    # The package stays consistent: no relationship or override points at the thumbnail.
    rels = _zip_part(result.data, "_rels/.rels")
    assert not [r for r in rels if "thumbnail" in r.get("Target")]
    types = _zip_part(result.data, "[Content_Types].xml")
    assert not [o for o in types if "thumbnail" in o.get("PartName", "")]
    # Tracked changes and comments are still there, with a neutral author.
    document = _zip_part(result.data, "word/document.xml")
    w = samples.W
    assert document.find(f".//{{{w}}}ins").get(f"{{{w}}}author") == anonymiser.ANONYMOUS
    assert "An old sentence." in etree.tostring(document, encoding="unicode")
    assert "Blended learning" in etree.tostring(document, encoding="unicode")
    comments = _zip_part(result.data, "word/comments.xml")
    assert "Check the second cohort again." in etree.tostring(comments, encoding="unicode")
    # Cleaning twice changes nothing more.
    again = anonymise(result.data, "paper.docx")
    assert again.data == result.data and again.removed == []


def test_odt_loses_meta_change_and_annotation_creators_printer_and_thumbnail():
    result = anonymise(samples.odt(), "paper.odt")
    assert result.cleaned
    assert names_left(result.data, allowed=samples.FAMILY + ", M. (2021)") == []
    for expected in (
        "meta.xml: initial-creator",
        "meta.xml: creator",
        "meta.xml: user-defined",
        "content.xml: creator of change-info",
        "content.xml: creator of annotation",
        "settings.xml: PrinterName",
        "Thumbnails/thumbnail.png: preview image of the first page",
    ):
        assert expected in result.removed, expected
    with zipfile.ZipFile(io.BytesIO(result.data)) as z:
        first = z.infolist()[0]
        # ODF readers need the mimetype first and stored.
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert "Thumbnails/thumbnail.png" not in z.namelist()
        manifest = z.read("META-INF/manifest.xml").decode()
        assert "thumbnail" not in manifest
        assert "LibreOffice/7.6" in z.read("meta.xml").decode()  # not a person: kept


def test_pdf_loses_info_xmp_and_annotation_author_but_keeps_text_and_note():
    original = samples.pdf(("Blended learning in first-year mathematics",))
    result = anonymise(original, "paper.pdf")
    assert result.cleaned
    assert names_left(result.data) == []
    assert "XMP metadata" in result.removed
    assert any(line.startswith("document information: ") for line in result.removed)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        note = pdf.pages[0].obj.Annots[0]
        assert str(note.T) == anonymiser.ANONYMOUS and str(note.Contents) == "Shorten this."
    blocks = list(leaks.extract_blocks(result.data, "paper.pdf"))
    assert any("Blended learning" in b.text and b.area == "page" for b in blocks)


def test_an_encrypted_pdf_is_not_cleaned_and_says_why():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(samples.pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))
    result = anonymise(out.getvalue(), "locked.pdf")
    assert not result.cleaned and result.data == out.getvalue()
    assert "encrypted" in result.warnings[0]


@pytest.mark.parametrize("name,build", [("a.jpg", samples.jpeg), ("a.png", samples.png)])
def test_images_lose_exif_xmp_and_text_keep_pixels_and_orientation(name, build):
    original = build()
    result = anonymise(original, name)
    assert result.cleaned and result.removed
    assert names_left(result.data) == []
    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(result.data))
    assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    assert after.getexif().get(0x0112) == 6
    assert dict(after.getexif()) == {0x0112: 6}


def test_jpeg_is_copied_without_re_encoding():
    original = samples.jpeg()
    result = anonymise(original, "a.jpg")
    # The scan data (from the start-of-scan marker on) is byte-for-byte the original's.
    assert original[original.index(b"\xff\xda") :] == result.data[result.data.index(b"\xff\xda") :]


def test_tiff_loses_artist_copyright_description_keeps_pixels():
    result = anonymise(samples.tiff(), "scan.tif")
    assert {"Artist", "Copyright", "ImageDescription"} <= set(result.removed)
    assert names_left(result.data) == []
    before = Image.open(io.BytesIO(samples.tiff()))
    after = Image.open(io.BytesIO(result.data))
    assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()


def test_a_zip_of_supplementary_files_is_cleaned_member_by_member():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data/photo.jpg", samples.jpeg())
        z.writestr("data/instrument.docx", samples.docx(references=()))
        z.writestr("data/readme.txt", "Questionnaire items.")
        z.writestr("data/analysis.sav", b"\x00binary")
        info = zipfile.ZipInfo("data/notes.txt")
        info.comment = b"from Meiling Zhou"
        z.writestr(info, "Notes.")
        z.comment = b"Zhou lab"
    result = anonymise(buf.getvalue(), "supplement.zip")
    assert result.cleaned
    assert names_left(result.data) == []
    assert "data/photo.jpg: EXIF metadata" in result.removed
    assert "data/instrument.docx: docProps/core.xml: creator" in result.removed
    assert "data/notes.txt: zip entry comment" in result.removed
    assert any(w.startswith("data/analysis.sav:") for w in result.warnings)


def test_zip_bombs_and_unknown_formats_are_refused_without_unpacking():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b" " * (ArchiveLimits().max_entry_bytes + 1))
    result = anonymise(bomb.getvalue(), "bomb.docx")
    assert not result.cleaned and "expands beyond" in result.warnings[0]
    assert not anonymise(b"not a zip", "fake.docx").cleaned
    assert not anonymise(b"\x89PNG\r\n\x1a\nbroken", "broken.png").cleaned
    unknown = anonymise(b"data", "model.sav")
    assert not unknown.cleaned and "cannot be checked" in unknown.warnings[0]
    assert anonymise(b"# Title\n", "paper.md").cleaned  # plain text hides nothing


def test_a_docx_part_declaring_entities_is_not_parsed():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml",
            '<!DOCTYPE d [<!ENTITY x "Zhou">]><d>&x;</d>',
        )
    result = anonymise(buf.getvalue(), "evil.docx")
    assert not result.cleaned and "DTD" in result.warnings[0]


# --- the leak check --------------------------------------------------------------------------


def hits_of(data: bytes, name: str) -> leaks.LeakReport:
    return leaks.check_file(anonymise(data, name).data, name, TERMS)


def test_docx_hits_say_where_and_mark_the_self_citation():
    report = hits_of(
        samples.docx(header="Prepared by Meiling Zhou (meiling.zhou@example.edu.cn)"), "a.docx"
    )
    by_area = {(h.area, h.term) for h in report.hits}
    assert ("header", "Meiling Zhou") in by_area
    assert ("header", samples.EMAIL) in by_area
    cite = [h for h in report.hits if h.area == "text" and h.term == "Zhou"]
    assert cite and all(h.self_citation for h in cite)
    assert "Zhou, M. (2021)" in cite[0].snippet
    assert {h.term for h in report.leaks} == {"Meiling Zhou", samples.EMAIL}
    assert all(h.part == "word/header1.xml" for h in report.leaks)


def test_names_are_found_whatever_the_case_accents_or_script():
    people = [samples.Person("Zoë", "Müller", native="周美玲"), samples.Person("Li", "Ng")]
    terms = leaks.terms_for(people)
    blocks = [
        leaks.Block("text", "", 1, "As ZOE MULLER argued, and 周美玲 agreed."),
        leaks.Block("text", "", 2, "A link using ngrams; Li Ng wrote it."),
        leaks.Block("text", "", 3, "Müller, Z. et al. showed it first."),
    ]
    report = leaks.find_leaks(blocks, terms)
    found = [(h.number, h.term, h.self_citation) for h in report.hits]
    assert (1, "Zoë Müller", False) in found and (1, "周美玲", False) in found
    # Whole words only: "link" and "ngrams" are not the names Li and Ng.
    assert [f for f in found if f[0] == 2] == [(2, "Li Ng", False)]
    assert (3, "Müller", True) in found  # "Müller … et al." cites her


def test_orcid_email_affiliation_and_ror_are_found():
    text = (
        f"Contact {samples.EMAIL.upper()}; ORCID https://orcid.org/{samples.ORCID}; "
        f"{samples.INSTITUTION}; ROR 02n96ep67."
    )
    report = leaks.find_leaks([leaks.Block("line", "notes.txt", 4, text)], TERMS)
    assert {h.kind for h in report.hits} == {"email", "orcid", "affiliation"}
    assert all(h.number == 4 and not h.self_citation for h in report.hits)


def test_pdf_pages_and_the_reference_list():
    data = samples.pdf(("Our earlier study", "References", "Zhou, M. Flipped classrooms."))
    report = hits_of(data, "a.pdf")
    assert [(h.area, h.number, h.self_citation) for h in report.hits] == [("page", 1, True)]


def test_markdown_and_latex_reference_sections():
    md = b"# Method\n\nAs Okonkwo showed.\n\n## References\n\nOkonkwo, R. Title.\n"
    report = leaks.check_file(md, "paper.md", TERMS)
    assert [(h.number, h.self_citation) for h in report.hits] == [(3, False), (7, True)]
    tex = b"Okonkwo said.\n\\begin{thebibliography}{9}\n\\bibitem{o} Okonkwo, R.\n"
    tex += b"\\end{thebibliography}\n"
    report = leaks.check_file(tex, "paper.tex", TERMS)
    assert [(h.number, h.self_citation) for h in report.hits] == [(1, False), (3, True)]


def test_odt_annotation_and_zip_member_names_are_read():
    report = hits_of(samples.odt(body="Written by Rafael Okonkwo."), "a.odt")
    assert ("text", "Rafael Okonkwo") in {(h.area, h.term) for h in report.leaks}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("zhou_data/readme.txt", "Collected by R. Okonkwo.")
    report = leaks.check_file(buf.getvalue(), "supp.zip", TERMS)
    assert {(h.area, h.term) for h in report.hits} == {
        ("file_name", "Zhou"),
        ("line", "R. Okonkwo"),
    }


def test_what_cannot_be_read_is_said():
    report = leaks.check_file(b"\x00\x01", "data.sav", TERMS)
    assert report.unread and "cannot read" in report.unread[0]
    report = leaks.check_file(b"%PDF-1.4 garbage", "broken.pdf", TERMS)
    assert report.unread
