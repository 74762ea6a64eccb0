"""Nothing a browser would run gets into an article's JATS, from any input format.

The sanitiser (one list of what may stay) on hostile JATS, normalise() and convert() reporting
what it removed, and the pandoc filter that drops authors' raw markup in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.production.jats import pandoc
from frontiers_de.production.jats.convert import convert
from frontiers_de.production.jats.normalise import normalise
from frontiers_de.production.jats.sanitise import find_unsafe, sanitise, script_url
from frontiers_de.xml.safe import parse_xml

VALID = Path(__file__).resolve().parents[3] / "fixtures" / "jats" / "article-valid.xml"
MML = "http://www.w3.org/1998/Math/MathML"
XLINK = "http://www.w3.org/1999/xlink"
XHTML = "http://www.w3.org/1999/xhtml"

HOSTILE = f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="data:text/xsl;base64,PHhzbC8+"?>
<article xmlns:mml="{MML}" xmlns:xlink="{XLINK}" xmlns:ali="http://www.niso.org/schemas/ali/1.0/"
    xmlns:h="{XHTML}" xmlns:svg="http://www.w3.org/2000/svg"
    xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:ev="http://www.w3.org/2001/xml-events"
    article-type="research-article" xml:lang="en" onload="alert('root')" ev:event="load">
  <front><article-meta>
    <title-group>
      <article-title>Safe <h:script>alert('t')</h:script>title</article-title>
    </title-group>
    <permissions><ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>
    </permissions>
  </article-meta></front>
  <body><?php system('id'); ?>
    <sec id="s1"><title>One</title>
      <p onclick="alert('p')">Before <svg:svg onload="alert('svg')"><svg:script>x</svg:script>
        </svg:svg>after. <xi:include href="/etc/passwd"/>
        <ext-link ext-link-type="uri" xlink:href="&#10;JaVa&#9;ScRiPt:alert('x')">bad</ext-link>
        <ext-link ext-link-type="uri" xlink:href="https://example.org/a?b=javascript:">good</ext-link>
        <inline-graphic xlink:href="data:text/html;base64,PHNjcmlwdD4="/>
        <inline-graphic xlink:href="data:image/png;base64,iVBORw0KGgo="/>
        <inline-formula><mml:math display="inline"><mml:semantics>
          <mml:mi mathvariant="bold" onmouseover="alert('mi')" href="vbscript:msgbox">x</mml:mi>
          <mml:annotation encoding="application/x-tex">\\mathbf{{x}}</mml:annotation>
          <mml:annotation-xml encoding="application/xhtml+xml"><h:script>alert('a')</h:script>
          </mml:annotation-xml></mml:semantics></mml:math></inline-formula></p>
    </sec>
  </body>
</article>
"""


def hostile_root() -> etree._Element:
    return parse_xml(HOSTILE.encode("utf-8")).getroot()


def serialised(root: etree._Element) -> str:
    return etree.tostring(root.getroottree(), encoding="unicode")


def test_everything_a_browser_could_run_is_removed() -> None:
    result = sanitise(hostile_root())
    text = serialised(result.root)
    for gone in (
        "alert(",
        "<h:script",
        "svg",
        "xi:include",
        "annotation-xml",
        "onload",
        "onclick",
        "onmouseover",
        "ev:event",
        "vbscript",
        "ScRiPt",
        "data:text/html",
        "<?php",
        "xml-stylesheet",
        XHTML,
    ):
        assert gone not in text, gone
    assert list(find_unsafe(result.root)) == []


def test_legitimate_content_stays() -> None:
    root = sanitise(hostile_root()).root
    text = serialised(root)
    for kept in (
        "ali:license_ref",
        'xml:lang="en"',
        'mathvariant="bold"',
        "application/x-tex",  # a TeX annotation is text, not markup
        "https://example.org/a?b=javascript:",
        "data:image/png;base64",
        "Safe title",  # the text around a removed element is kept
        "Before after.",
        ">bad</ext-link>",  # the link text stays, the link goes
    ):
        assert kept in " ".join(text.split()), kept


def test_each_kind_removed_is_one_report_line_with_its_first_line() -> None:
    lines = sanitise(hostile_root()).removed
    joined = "\n".join(lines)
    assert "processing instruction <?xml-stylesheet?> (first at line 2)" in joined
    assert "processing instruction <?php?>" in joined
    assert f'removed element <script xmlns="{XHTML}">' in joined  # annotation-xml's goes with it
    assert "element <svg" in joined and "element <include" in joined
    assert "element <mml:annotation-xml>" in joined
    assert "attribute onclick" in joined and "attribute onmouseover" in joined
    assert 'link xlink:href="javascript:…"' in joined
    assert 'link href="vbscript:…"' in joined
    assert 'link xlink:href="data:…"' in joined
    assert len(lines) == len(set(lines))


def test_the_valid_article_is_left_alone() -> None:
    root = parse_xml(VALID).getroot()
    before = etree.tostring(root)
    result = sanitise(root)
    assert result.removed == [] and etree.tostring(result.root) == before


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:x",
        "\x01javascript:x",
        "vbscript:msgbox",
        "data:text/html,<script>",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "DATA:application/xhtml+xml;base64,AAAA",
    ],
)
def test_script_urls(url: str) -> None:
    assert script_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.5555/x",
        "mailto:li.wang@example.edu",
        "fig1.png",
        "#sec1",
        "data:image/png;base64,iVBORw0KGgo=",
        "doi:10.5555/x",
        "ftp://example.org/data.csv",
        "/javascript:not-a-scheme",
    ],
)
def test_ordinary_urls(url: str) -> None:
    assert not script_url(url)


def test_normalise_drops_and_reports_before_repairing(schema_dir) -> None:
    result = normalise(parse_xml(HOSTILE.encode("utf-8")))
    text = etree.tostring(result.tree, encoding="unicode")
    assert "alert(" not in text and "annotation-xml" not in text and "<?" not in text
    assert result.removed and set(result.removed) <= set(result.changes)
    # what normalisation repairs afterwards is not reported as a removal
    assert not any("dtd-version" in line for line in result.removed)
    assert result.to_bytes().count(b"<?") == 1  # the XML declaration only


def test_jats_input_to_convert_reports_the_removals_as_warnings(schema_dir) -> None:
    result = convert(HOSTILE.encode("utf-8"), filename="hostile.xml")
    assert any("annotation-xml" in w for w in result.report.warnings)
    assert any("xml-stylesheet" in w for w in result.report.warnings)
    assert not any("annotation-xml" in c for c in result.report.changes)
    assert b"alert(" not in result.to_bytes()


# --- authors' raw markup, in every format pandoc reads ------------------------------------

MARKDOWN = b"""\
---
title: "A title `<script>alert('meta')</script>`{=jats}"
---

# Intro

Raw HTML <b onclick="alert(1)">bold words</b> and raw TeX \\input{/etc/passwd} here.

```{=jats}
<p><inline-formula><mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:semantics>
<mml:mi>x</mml:mi><mml:annotation-xml encoding="application/xhtml+xml">
<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></mml:annotation-xml>
</mml:semantics></mml:math></inline-formula></p>
```

```{=html}
<script>alert(2)</script>
```

```{=latex}
\\write18{rm -rf /}
```

Inline `<x:evil xmlns:x="urn:evil"/>`{=jats} too.
"""


def test_markdown_raw_blocks_and_spans_never_reach_the_jats(schema_dir) -> None:
    result = convert(MARKDOWN, filename="paper.md")
    out = result.to_bytes()
    for marker in (b"script", b"annotation-xml", b"urn:evil", b"write18", b"onclick", b"passwd"):
        assert marker not in out, marker
    assert b"bold words" in out  # the text between raw HTML tags stays
    assert result.report.valid, result.report.schema_errors
    # raw JATS would have been copied: a warning the production editor sees
    warned = "\n".join(w for w in result.report.warnings if w.startswith("removed"))
    assert "raw jats block" in warned and "raw jats inlines" in warned  # body and title
    assert "html" not in warned and "tex" not in warned
    # raw HTML and TeX never reached JATS (pandoc drops them): a change, not a warning
    changed = "\n".join(c for c in result.report.changes if c.startswith("removed"))
    assert "raw html" in changed and "raw latex block" in changed and "raw tex inline" in changed
    assert not any("fde-raw-removed" in w for w in result.report.warnings)


def test_latex_raw_tex_is_removed_even_when_a_reader_keeps_it(tmp_path) -> None:
    """The LaTeX route does not ask pandoc for raw TeX; the filter holds if it ever did."""
    source = tmp_path / "paper.tex"
    source.write_text(
        "\\documentclass{article}\\begin{document}\\section{Intro}"
        "Text \\texttt{<script>alert(1)</script>} \\unknowncommand{<b>x</b>}."
        "\\end{document}",
        encoding="utf-8",
    )
    result = pandoc.to_jats(source, "latex+raw_tex", cwd=tmp_path)
    assert b"\\unknowncommand" not in result.output
    assert b"&lt;script&gt;" in result.output  # shown as the text the author typed
    removed = pandoc.raw_removed(result.warnings)
    assert removed.warnings == [] and "raw latex inline" in removed.changes[0]


def test_docx_text_that_looks_like_markup_stays_text(tmp_path, schema_dir) -> None:
    source = tmp_path / "in.md"
    source.write_text(
        "# Intro\n\nThe string `<script>alert(1)</script>` and \\\\input{x} as text.\n",
        encoding="utf-8",
    )
    docx = tmp_path / "manuscript.docx"
    pandoc.run_pandoc([str(source), "-o", str(docx)], sandbox=False)
    result = convert(docx)
    out = result.to_bytes()
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert b"<script" not in out
    assert not any(w.startswith("removed") for w in result.report.warnings)
