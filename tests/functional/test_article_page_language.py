"""The article page in the reader's language: the Chinese page shows no English word of the
interface. Every text on the page (and every screen-reader label, title and alt text) is
either the article's own content (words of its JATS, the journal's own data) or a
translation from the catalog; a text that is an English message of the catalog fails."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from lxml import etree

import frontiers_de
from frontiers_de.articles.models import Article
from frontiers_de.production.jats.html import article_fragment
from frontiers_de.production.jats.labels import CONTEXT, LABELS
from frontiers_de.xml.safe import parse_xml
from tests.factories import app_session, make_journal
from tests.publishing_factories import jats_with, make_issue, publish_article

DOI = "10.5555/fde.2026.0101"
CATALOG = Path(frontiers_de.__file__).parent / "locale" / "zh" / "LC_MESSAGES" / "fde.po"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
# Names that are the same in every language (identifiers, formats, language names).
PROPER_NOUNS = {"DOI", "ORCID", "iD", "ROR", "PubMed", "BibTeX", "RIS", "ISSN", "JATS", "XML"}
PROPER_NOUNS |= {"CSL", "JSON", "PDF"}
PROPER_NOUNS |= {"English", "https", "http", "doi", "org", "orcid", "ror"}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_VARIABLE = re.compile(r"\\\$\\\{\w+\\\}")


def _pattern(message: str) -> re.Pattern[str]:
    """The message as a pattern, a value standing for a few words (a number, a name)."""
    value = r"\S+(?: \S+){0,3}"
    return re.compile(_VARIABLE.sub(lambda _: value, re.escape(" ".join(message.split()))) + r"\Z")


@cache
def _catalog() -> tuple[list[tuple[str | None, re.Pattern[str]]], list[re.Pattern[str]]]:
    """English messages (with their context) whose Chinese differs, and the Chinese ones."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    english, chinese = [], []
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        if message.string != message.id and _LATIN_WORD.search(message.id):
            english.append((message.context, _pattern(message.id)))
        chinese.append(_pattern(message.string))
    return english, chinese


def _texts(page: lxml.html.HtmlElement):
    """(text, inside the reader's article) for every text and label of the page's body."""
    for element in page.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        # the page's Download / Cite box stands inside the article (beside its title) but
        # is the page's own: interface, not content
        inside = bool(element.xpath("ancestor-or-self::article")) and not element.xpath(
            "ancestor-or-self::aside[contains(@class, 'article-tools')]"
        )
        for name in ("aria-label", "title", "alt", "placeholder"):
            if element.get(name):
                yield element.get(name), inside, element
        if element.text and element.text.strip():
            yield element.text, inside, element
        parent = element.getparent()
        if parent is not None and element.tail and element.tail.strip():
            yield (
                element.tail,
                bool(parent.xpath("ancestor-or-self::article"))
                and not parent.xpath("ancestor-or-self::aside[contains(@class, 'article-tools')]"),
                parent,
            )


def english_ui_words(body: str, content_words: set[str]) -> list[str]:
    """The texts of a Chinese page that are English words of the interface."""
    english, chinese = _catalog()
    page = lxml.html.fromstring(body)
    found = []
    for raw, inside, element in _texts(page.find("body")):
        text = " ".join(raw.split())
        if not _LATIN_WORD.search(text):
            continue
        declared = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
        if not inside and declared and not declared[0].startswith("zh"):
            continue  # a name in its own language: the language switch, the English title
        # an English message of the catalog (inside the article: those of the article page;
        # a cross-reference's text, "see Figure 1", is the author's sentence)
        in_text = inside and "xref" in (element.get("class") or "").split()
        if not in_text and any(
            pattern.match(text) and (not inside or context == CONTEXT)
            for context, pattern in english
        ):
            found.append(f"<{element.tag}> {text!r}: an English message")
            continue
        if any(pattern.match(text) for pattern in chinese):
            continue
        if element.xpath("ancestor-or-self::li[contains(@class, 'ref')]"):
            continue  # a reference is written in the article's language and style (et al., In:)
        unknown = [w for w in _LATIN_WORD.findall(text) if w not in content_words | PROPER_NOUNS]
        if unknown:
            found.append(
                f"<{element.tag}> {text!r}: {' '.join(unknown)} is neither content nor catalog"
            )
    return found


def _words(*texts: str) -> set[str]:
    return {w for text in texts for w in _LATIN_WORD.findall(text)}


def _publish_with_reader_html(wsgi_app, jats: str) -> set[str]:
    """Publish ``jats`` with its reader HTML as production stores it; the content's words."""
    tree = parse_xml(jats.encode("utf-8"))
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        issue = make_issue(db, journal, 1, "1")
        article = publish_article(db, journal, DOI, issue=issue, jats=jats, elocation_id="e0101")
        article.html = article_fragment(tree, asset_base=f"/articles/{article.id}/files/")
        journal_data = [
            journal.title,
            journal.publisher,
            journal.licence_name,
            *(s.name for s in journal.sections),
        ]
    jats_text = " ".join(tree.getroot().itertext())
    return _words(jats_text, DOI, *journal_data)


def test_the_chinese_article_page_shows_no_english_interface_word(testapp, wsgi_app):
    content = _publish_with_reader_html(wsgi_app, jats_with(DOI))
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/articles/{DOI}")
    assert english_ui_words(page.text, content) == []
    # and the words are the translations: the labels of the fixture's front matter
    html = page.html
    dates = [dt.get_text(strip=True) for dt in html.select(".article-info dt")]
    assert {"收稿日期", "录用日期", "发表日期", "版权与许可", "基金资助"} <= set(dates)
    assert html.select_one("ul.authors")["aria-label"] == "作者"
    assert html.select_one(".ref-list h2").get_text(strip=True) == "参考文献"
    assert html.select_one(".article-type").get_text(strip=True) == "研究论文"
    assert "数字教育前沿" in html.select_one(".brand-title").get_text()
    english_name = html.select_one(".brand-sub")  # the other name, in its own language
    assert english_name["lang"] == "en" and "Frontiers" in english_name.get_text()
    assert "数字教育前沿" in html.title.get_text()


def test_the_english_page_is_the_stored_html(testapp, wsgi_app):
    _publish_with_reader_html(wsgi_app, jats_with(DOI))
    with app_session(wsgi_app) as db:
        stored = db.query(Article).filter_by(doi=DOI).one().html
    page = testapp.get(f"/articles/{DOI}")
    # as stored, with the page's Download / Cite box put in after the article's header
    head, rest = stored.split("</header>", 1)
    assert head + "</header>" in page.text and rest in page.text
    # the page differs by language: no shared cache may keep one for every reader
    assert "public" not in page.headers.get("Cache-Control", ""), page.headers
    assert page.html.select_one(".ref-list h2").get_text(strip=True) == "References"


def test_the_check_finds_an_english_word(testapp, wsgi_app):
    """The check fails where it should: the stored English words and a word outside both
    the content and the catalog are caught."""
    content = _publish_with_reader_html(wsgi_app, jats_with(DOI))
    page = testapp.get(f"/articles/{DOI}")  # English: every label is English
    found = english_ui_words(page.text, content)
    assert any("'References'" in line for line in found)
    assert any("'Received'" in line for line in found)
    assert english_ui_words("<html><body><p>Zebra crossing</p></body></html>", content)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize(
    "name", ["allofplos__journal.pcbi.1000204.xml", "allofplos__journal.pone.0160653.xml"]
)
def test_articles_of_other_publishers_in_chinese(testapp, wsgi_app, name):
    """Real articles (figures, tables, back-links, notes): their labels are translated."""
    jats = (CORPUS / name).read_text(encoding="utf-8")
    content = _publish_with_reader_html(wsgi_app, jats)
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/articles/{DOI}")
    assert english_ui_words(page.text, content) == []


def test_every_label_has_its_chinese_translation():
    english, _ = _catalog()
    translated = {p.pattern for context, p in english if context == CONTEXT}
    for key, label in LABELS.items():
        for message in label.messages:
            assert _pattern(str(message)).pattern in translated, (key, str(message))


def test_the_stored_html_has_no_label_unmarked():
    """Every English label word the stylesheet writes carries its mark."""
    tree = etree.fromstring(jats_with(DOI).encode("utf-8"))
    html = lxml.html.fromstring(article_fragment(tree))
    marked = html.xpath("//*[@data-l10n or @data-l10n-aria]")
    assert len(marked) >= 10
    english = {label.english for label in LABELS.values()}
    for element in html.xpath("//dt | //h2 | //h3"):
        text = " ".join(element.text_content().split())
        if text in english:
            assert element.xpath("descendant-or-self::*[@data-l10n]"), text
