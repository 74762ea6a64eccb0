"""The article page's contents and the place of its Download / Cite box, read from the
reader HTML the stylesheet makes."""

from __future__ import annotations

from pathlib import Path

from frontiers_de.production.jats.html import article_fragment
from frontiers_de.publishing.article_parts import OutlineEntry, outline, split_after_header
from frontiers_de.xml.safe import parse_xml

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "jats" / "article-valid.xml"


def _html(jats: bytes | None = None, prefix: str = "") -> str:
    return article_fragment(parse_xml(jats or FIXTURE.read_bytes()), id_prefix=prefix)


def test_outline_of_the_fixture():
    entries = outline(_html())
    titles = [(e.title, e.id) for e in entries]
    assert titles[:2] == [("Abstract (English)", "part-1"), ("摘要 (中文)", "part-2")]
    assert ("Introduction", "s1") in titles and ("Results", "s2") in titles
    introduction = next(e for e in entries if e.id == "s1")
    assert introduction.children == (OutlineEntry("s1-1", "Background", lang="en"),)
    # a word of the interface is in the reader's language, a heading in the article's
    assert [e.lang for e in entries[:2]] == ["en", "zh"]
    assert [t for t, _ in titles[-2:]] == ["Acknowledgements", "References"]


def test_sections_without_ids_get_ids_from_their_place():
    jats = FIXTURE.read_bytes().replace(b'<sec id="s2">', b"<sec>")
    entries = outline(_html(jats, prefix="a-"))
    results = next(e for e in entries if e.title == "Results")
    assert results.id.startswith("a-part-")
    # ids made the same way each time the JATS is rendered: stored links keep working
    assert results.id == next(e for e in outline(_html(jats, "a-")) if e.title == "Results").id


def test_outline_titles_are_short():
    jats = FIXTURE.read_bytes().replace(
        b"<title>Results</title>", b"<title>" + b"R" * 300 + b"</title>"
    )
    entries = outline(_html(jats))
    long = next(e for e in entries if e.title.startswith("RRR"))
    assert len(long.title) == 120 and long.title.endswith("…")


def test_outline_of_html_without_sections():
    assert outline("<article><p>Text</p></article>") == ()
    assert outline("<p>The full text.</p>") == ()
    assert outline("") == ()


def test_split_after_the_article_header():
    html = _html()
    parts = split_after_header(html)
    assert parts.head.startswith("<article") and parts.head.endswith("</header>")
    assert parts.head + parts.rest == html
    assert parts.rest.startswith('<section class="abstract"')


def test_html_without_header_is_all_rest():
    parts = split_after_header("<p>The full text.</p>")
    assert parts.head == "" and parts.rest == "<p>The full text.</p>"


def test_a_localised_heading_is_in_the_readers_language():
    html = _html().replace(
        '<span data-l10n="references">References</span>',
        '<span data-l10n="references" lang="zh-Hans">参考文献</span>',
    )
    references = next(e for e in outline(html) if e.title == "参考文献")
    assert references.lang == "zh-Hans"
