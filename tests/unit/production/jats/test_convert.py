"""convert(): manuscripts in each input format to valid JATS 1.3, and its failure modes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats import pandoc
from frontiers_de.production.jats.convert import (
    ConversionError,
    bibliography_section,
    convert,
    detect_format,
    drop_wrapped_environment_redefinitions,
    resolve_tex_conditionals,
)
from frontiers_de.xml.schemas import load_schema

DATA = Path(__file__).resolve().parents[3] / "data"
METADATA = json.loads((DATA / "submission-metadata.json").read_text(encoding="utf-8"))
PROFILE = JournalProfile(issn_online="2345-6786")
MML = "{http://www.w3.org/1998/Math/MathML}math"

MARKDOWN = b"""\
# Introduction

Adaptive feedback helps [1, 2]. Earlier work disagreed [3].[^note]

[^note]: A footnote with $x^2$ inside.

## Method

| Group | n | Score |
|-------|---|-------|
| A     | 10 | 3.2 |
| B     | 12 | 3.9 |

: Results by group

$$E = mc^2$$

# References

1. Smith J, Doe A. Feedback in online courses. Comput Educ. 2020;150:103832.
   doi:10.1016/j.compedu.2020.103832
2. Lee K. Hints and learning. J Educ Psychol. 2019;111(3):401-415.
3. Wang L, Chen M. Mathematics online. Front Digit Educ. 2024;1:e1.
"""


@pytest.fixture(scope="session")
def jats_schema(schema_dir):
    return load_schema("jats-1.3")


def docx_from_markdown(tmp_path: Path, markdown: bytes) -> Path:
    """A real DOCX written by pandoc (pandoc's docx writer makes OMML for TeX math)."""
    source = tmp_path / "in.md"
    source.write_bytes(markdown)
    target = tmp_path / "manuscript.docx"
    pandoc.run_pandoc([str(source), "-o", str(target)], sandbox=False)
    return target


def test_markdown_converts_to_valid_jats_with_everything_kept(jats_schema):
    result = convert(MARKDOWN, filename="paper.md", metadata=METADATA, profile=PROFILE)
    report = result.report
    assert report.valid, report.schema_errors
    root = result.tree.getroot()
    assert root.get("dtd-version") == "1.3"
    assert root.findtext("front/article-meta/title-group/article-title").startswith("Adaptive")
    counts = report.counts
    assert counts["tables"] == 1
    assert counts["display_formulas"] == 1
    assert counts["inline_formulas"] == 1
    assert counts["footnotes"] == 1
    assert counts["references"] == 3
    assert [s.findtext("title") for s in root.findall("body/sec")] == ["Introduction"]
    table = root.find(".//table-wrap")
    assert "Results by group" in "".join(table.find("caption").itertext())
    formula = root.find(".//disp-formula/alternatives")
    assert formula.findtext("tex-math").strip() == "E = mc^2"
    assert formula.find(MML) is not None
    assert root.find("back/ref-list") is not None
    assert root.find("body//sec[title='References']") is None
    assert jats_schema.validate(result.tree)


def test_numbered_citations_link_to_their_references():
    root = convert(MARKDOWN, filename="paper.md", profile=PROFILE).tree.getroot()
    refs = [r.get("id") for r in root.iter("ref")]
    cited = [x.get("rid") for x in root.iter("xref") if x.get("ref-type") == "bibr"]
    assert cited, "no citation became an xref"
    assert all(rid in refs for value in cited for rid in value.split())


def test_without_metadata_the_title_comes_from_the_document_and_gaps_are_listed():
    text = b"---\ntitle: A Study of Hints\n---\n\nSome text.\n"
    result = convert(text, filename="paper.md", profile=PROFILE)
    root = result.tree.getroot()
    assert root.findtext("front/article-meta/title-group/article-title") == "A Study of Hints"
    assert any("submission metadata" in m for m in result.report.missing)
    assert any("DOI" in m for m in result.report.missing)
    assert result.report.valid, result.report.schema_errors


def test_docx_with_omml_footnote_and_table(tmp_path):
    docx = docx_from_markdown(tmp_path, MARKDOWN)
    result = convert(docx, metadata=METADATA, profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    counts = result.report.counts
    assert counts["tables"] == 1
    assert counts["footnotes"] == 1
    assert counts["display_formulas"] + counts["inline_formulas"] == 2
    assert counts["mathml"] == 2  # Word's OMML came out as MathML in the mml namespace
    assert counts["references"] == 3


def test_docx_title_property_is_used_when_the_body_has_none(tmp_path):
    docx = docx_from_markdown(tmp_path, b"---\ntitle: Hidden Title\n---\n\nText.\n")
    # Remove the visible Title paragraph pandoc wrote; docProps/core.xml keeps dc:title.
    stripped = io.BytesIO()
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                paragraph = rb'<w:p\b[^>]*>(?:(?!</w:p>).)*w:val="Title"(?:(?!</w:p>).)*</w:p>'
                data = re.sub(paragraph, b"", data, flags=re.S)
                assert b"Hidden Title" not in data
            target.writestr(info, data)
    result = convert(stripped.getvalue(), filename="m.docx", profile=PROFILE)
    assert result.tree.getroot().findtext(".//article-title") == "Hidden Title"
    assert any("title taken from the document" in c for c in result.report.changes)


def test_latex_math_keeps_tex_and_mathml(tmp_path):
    tex = rb"""\documentclass{article}
\title{Lattices}
\begin{document}
\maketitle
\section{Result}
We show $a^2+b^2=c^2$ and
\begin{equation}\int_0^1 x\,dx = \frac12\end{equation}
\end{document}
"""
    result = convert(tex, filename="paper.tex", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    inline = root.find(".//inline-formula/alternatives")
    assert inline.findtext("tex-math").strip() == "a^2+b^2=c^2"
    assert inline.find(MML) is not None
    assert root.find(".//disp-formula") is not None
    assert root.findtext(".//article-title") == "Lattices"


def latex_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_latex_zip_inlines_its_own_includes_and_bibliography():
    data = latex_zip(
        {
            "paper/main.tex": rb"""\documentclass{article}
\begin{document}
\input{sections/intro}
\bibliography{refs}
\end{document}
""",
            "paper/sections/intro.tex": rb"\section{Intro} As shown by \cite{smith20}.",
            "paper/main.bbl": rb"""\begin{thebibliography}{1}
\bibitem[Smi20]{smith20}
J.~Smith.
\newblock Feedback at scale.
\newblock {\em Computers \& Education}, 150:103832, 2020.
\end{thebibliography}
""",
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    assert root.findtext("body/sec/title") == "Intro"
    xref = root.find(".//xref[@ref-type='bibr']")
    assert xref.text == "[Smi20]"
    assert xref.get("rid") == root.find("back/ref-list/ref").get("id")


def test_latex_zip_cannot_include_files_outside_itself():
    data = latex_zip(
        {
            "main.tex": rb"""\documentclass{article}
\begin{document}
Before. \input{../../../../etc/hostname} After.
\end{document}
""",
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE)
    assert any("outside the source folder" in w for w in result.report.warnings)
    text = "".join(result.tree.getroot().find("body").itertext())
    assert "Before." in text and "After." in text


def test_tex_conditionals_are_evaluated_where_they_can_be():
    source = (
        "\\def\\llncs{1}\\def\\anon{0}"
        "\\ifnum\\llncs=1 A\\ifnum\\anon=1 B\\else C\\fi\\else D\\fi "
        "\\ifx\\a\\b X\\else Y\\fi % \\ifnum\\llncs=1 comment\\fi\nend"
    )
    assert resolve_tex_conditionals(source) == (
        "\\def\\llncs{1}\\def\\anon{0}A C \\ifx\\a\\b X\\else Y\\fi \nend"
    )


def test_an_environment_wrapping_itself_is_dropped():
    source = (
        "\\let\\oldproof\\proof\\renewenvironment{proof}{\\begin{oldproof}}"
        "{\\qed\\end{oldproof}}\nText"
    )
    assert drop_wrapped_environment_redefinitions(source) == "\\let\\oldproof\\proof\nText"


def test_bibliography_section_splits_items_with_nested_braces():
    bbl = (
        "\\begin{thebibliography}{CAHL{\\etalchar{+}}22}\n"
        "\\bibitem[AB21]{C:AlpBur21}\nA.~Alper.\n\\newblock Title one.\n\n"
        "\\bibitem[CAHL{\\etalchar{+}}22]{x}\nB. Bee.\n\\newblock Title two.\n"
        "\\end{thebibliography}\n"
    )
    section, keys, labels = bibliography_section(bbl)
    assert keys == ["C:AlpBur21", "x"]
    assert labels == ["AB21", "CAHL+22"]
    assert "\\section*{References}" in section
    assert "A.~Alper. Title one.\n\nB. Bee. Title two." in section


def test_jats_input_goes_through_normalise(jats_schema):
    jats = b"""<?xml version="1.0"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.1"
 article-type="research-article">
<front><journal-meta><journal-id journal-id-type="publisher-id">x</journal-id>
<issn>1234-5679</issn></journal-meta>
<article-meta><title-group><article-title>Old JATS</article-title></title-group></article-meta>
</front><body><sec><title>One</title><p>Text.</p></sec></body></article>"""
    result = convert(jats, filename="old.xml", metadata=METADATA, profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    assert root.get("dtd-version") == "1.3"
    assert root.findtext(".//article-id[@pub-id-type='doi']") == METADATA["doi"]
    assert any("front matter replaced" in c for c in result.report.changes)


@pytest.mark.parametrize(
    ("data", "filename", "stage", "message"),
    [
        (b"", "paper.docx", "input", "empty"),
        (b"hello", "paper.pdf", "input", "unsupported file type '.pdf'"),
        (b"this is not a zip", "paper.docx", "archive", "not a zip archive"),
        (latex_zip({"a.txt": b"x"}), "paper.docx", "input", "not a DOCX file"),
        (latex_zip({"notes.txt": b"x"}), "paper.zip", "input", "no .tex file"),
        (b"<article><front>", "paper.xml", "input", "malformed XML"),
        (b"<book/>", "paper.xml", "input", "not a JATS article"),
        (
            b'<!DOCTYPE article [<!ENTITY x "boom">]><article>&x;</article>',
            "paper.xml",
            "input",
            "entities",
        ),
        (b"\\begin{document}\\end{itemize}", "paper.tex", "pandoc", "pandoc failed"),
    ],
)
def test_unusable_inputs_fail_with_stage_and_reason(data, filename, stage, message):
    with pytest.raises(ConversionError) as caught:
        convert(data, filename=filename, profile=PROFILE)
    assert caught.value.stage == stage
    assert message in str(caught.value)


def test_invalid_metadata_fails_before_any_work():
    bad = dict(METADATA, doi="not-a-doi")
    with pytest.raises(ConversionError, match=r"metadata: \$\.doi"):
        convert(MARKDOWN, filename="paper.md", metadata=bad)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(ConversionError, match="cannot read the file"):
        convert(tmp_path / "absent.docx")


def test_detect_format():
    assert detect_format("A.DOCX") == "docx"
    assert detect_format("paper.odt") == "odt"
    assert detect_format("bundle.zip") == "latex-zip"
    assert detect_format("article.nxml") == "jats"


def test_serialised_output_declares_jats_1_3():
    data = convert(b"Text.\n", filename="a.md", profile=PROFILE).to_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"JATS (Z39.96) Journal Publishing DTD v1.3" in data
    assert etree.fromstring(data).get("dtd-version") == "1.3"


def test_figures_and_tables_get_ids_labels_and_linked_mentions():
    markdown = b"""\
As Table 1 shows, and Fig. 2 confirms, hints help. Table 9 does not exist.

| a | b |
|---|---|
| 1 | 2 |

: Table 1. Scores by group.

![A chart of scores.](chart.png)

![Figure 2: Completion rates.](rates.png)
"""
    result = convert(markdown, filename="a.md", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    table = root.find(".//table-wrap")
    assert table.findtext("label") == "Table 1"
    assert "".join(table.find("caption").itertext()).strip() == "Scores by group."
    figures = root.findall(".//fig")
    assert [f.findtext("label") for f in figures] == ["Figure 1", "Figure 2"]
    assert any("numbered in order" in c for c in result.report.changes)
    links = {(x.get("ref-type"), x.text, x.get("rid")) for x in root.iter("xref")}
    assert ("table", "Table 1", table.get("id")) in links
    assert ("fig", "Fig. 2", figures[1].get("id")) in links
    assert not any(text == "Table 9" for _, text, _ in links)


def test_odt_keeps_its_formula_objects_tables_and_footnotes(tmp_path):
    source = tmp_path / "in.md"
    source.write_bytes(MARKDOWN)
    odt = tmp_path / "manuscript.odt"
    pandoc.run_pandoc([str(source), "-o", str(odt)], sandbox=False)
    result = convert(odt, metadata=METADATA, profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    counts = result.report.counts
    # pandoc's own ODT reader drops formula objects; ours puts their MathML back.
    assert counts["display_formulas"] == 1
    assert counts["inline_formulas"] == 1
    assert counts["mathml"] == 2
    assert counts["tables"] == 1
    assert counts["footnotes"] == 1
    assert counts["references"] == 3
    data = result.to_bytes()
    assert b"<mml:math" in data and b"FDEMATHMARK" not in data


def test_latex_with_bibtex_gets_structured_references_from_citeproc():
    data = latex_zip(
        {
            "main.tex": rb"""\documentclass{article}
\begin{document}
\section{Intro}
Hints help \cite{smith20}, as do prompts \cite{lee19,smith20}.
\bibliography{refs}
\end{document}
""",
            "refs.bib": rb"""@article{smith20, author = {Smith, John and Doe, Ann},
  title = {Feedback at scale}, journal = {Computers \& Education}, year = {2020},
  volume = {150}, pages = {103832}, doi = {10.1016/j.compedu.2020.103832}}
@article{lee19, author = {Lee, Kim}, title = {Hints and learning},
  journal = {Journal of Educational Psychology}, year = {2019}, volume = {111}}
""",
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == 2
    citations = [r.find("element-citation") for r in refs]
    assert all(c is not None for c in citations)
    smith = next(c for c in citations if c.findtext("year") == "2020")
    assert smith.findtext("person-group/name/surname") == "Smith"
    assert smith.findtext("pub-id[@pub-id-type='doi']") == "10.1016/j.compedu.2020.103832"
    ids = {r.get("id") for r in refs}
    xrefs = [x for x in root.iter("xref") if x.get("ref-type") == "bibr"]
    assert len(xrefs) == 2
    assert all(set(x.get("rid").split()) <= ids for x in xrefs)
    assert [x.text for x in xrefs] == ["[1]", "[2, 1]"]
    assert [r.find("element-citation").findtext("year") for r in refs] == ["2020", "2019"]


def test_without_metadata_authors_and_abstract_come_from_the_document():
    text = (
        b"---\ntitle: T\nauthor:\n- Jane Q. Doe\n- Wei Li\n"
        b"abstract: |\n  First para.\n\n  Second.\n---\n\nText.\n"
    )
    result = convert(text, filename="a.md", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    meta = result.tree.getroot().find("front/article-meta")
    names = [
        (c.findtext("name/given-names"), c.findtext("name/surname")) for c in meta.iter("contrib")
    ]
    assert names == [("Jane Q.", "Doe"), ("Wei", "Li")]
    assert [p.text for p in meta.findall("abstract/p")] == ["First para.", "Second."]
    assert not any("contributors" in m for m in result.report.missing)
    # Submission metadata, when given, wins over the document.
    result = convert(text, filename="a.md", metadata=METADATA, profile=PROFILE)
    surnames = [c.findtext(".//surname") for c in result.tree.getroot().iter("contrib")]
    assert surnames == ["Zhang", "Haddad"]


def test_crossref_style_figure_links_and_short_dois():
    markdown = b"""\
As shown (Figure @fig:overview) and in @fig:overview, see [@doi:10/bjjdg2; @doi:10.1/x].
A book [@isbn:9780262035613].

![An overview.](o.png){#fig:overview}
"""
    result = convert(markdown, filename="a.md", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    root = result.tree.getroot()
    figure_links = [x.text for x in root.iter("xref") if x.get("ref-type") == "fig"]
    assert figure_links == ["1", "Figure 1"]
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == 3  # the figure is not a reference
    assert refs[0].findtext(".//ext-link") == "https://doi.org/10/bjjdg2"
    assert refs[1].findtext(".//pub-id[@pub-id-type='doi']") == "10.1/x"
    assert refs[2].findtext(".//isbn") == "9780262035613"


def test_latex_zip_uses_the_macros_of_its_own_package():
    data = latex_zip(
        {
            "main.tex": rb"""\documentclass{article}
\usepackage{amsmath,macros}
\begin{document}
The key $\pk$ and $\vect{x}$.
\end{document}
""",
            "macros.sty": rb"""\ProvidesPackage{macros}
\makeatletter
\newcommand{\pk}{\mathsf{pk}}
\newcommand{\vect}[1]{\mathbf{#1}}
\makeatother
""",
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    assert result.report.counts["inline_formulas"] == 2
    assert result.report.counts["mathml"] == 2
    assert any("own packages used" in c for c in result.report.changes)


def test_a_package_pandoc_cannot_read_falls_back_to_the_plain_source():
    data = latex_zip(
        {
            "main.tex": rb"""\documentclass{article}
\usepackage{broken}
\begin{document}
Text survives.
\end{document}
""",
            "broken.sty": rb"\newcommand{\x}{y",  # an unclosed brace
        }
    )
    result = convert(data, filename="paper.zip", profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    assert any("without their macros" in w for w in result.report.warnings)
    assert "Text survives." in "".join(result.tree.getroot().find("body").itertext())


def test_ids_are_made_valid_and_unique_with_links_kept():
    from frontiers_de.production.jats.convert import ConversionReport, repair

    article = etree.fromstring(
        '<article><body><p id="a">x <xref ref-type="fig" rid="a 1st">y</xref></p>'
        '<p id="a">z</p><fig id="1st"><label>Figure 1</label></fig></body></article>'
    )
    repair(article, ConversionReport("t", "test"))
    ids = [e.get("id") for e in article.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["a", "a-2"]
    assert article.find(".//xref").get("rid") == "a id-1st"


def test_a_table_caption_typed_as_a_paragraph_becomes_the_caption(tmp_path):
    markdown = b"""\
Scores are in Table 1.

Table 1: Scores by group.

| a | b |
|---|---|
| 1 | 2 |

After the table.
"""
    docx = docx_from_markdown(tmp_path, markdown)
    result = convert(docx, profile=PROFILE)
    assert result.report.valid, result.report.schema_errors
    table = result.tree.getroot().find(".//table-wrap")
    assert table.findtext("label") == "Table 1"
    assert "".join(table.find("caption").itertext()).strip() == "Scores by group."
    assert result.tree.getroot().find(".//xref[@ref-type='table']") is not None
