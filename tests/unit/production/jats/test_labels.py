"""The interface words of the stored reader HTML, put into the reader's language per request."""

from __future__ import annotations

from pathlib import Path

from pyramid.i18n import make_localizer

import frontiers_de
from frontiers_de.production.jats.labels import localise

LOCALE_DIR = str(Path(frontiers_de.__file__).parent / "locale")
ZH = make_localizer("zh", [LOCALE_DIR]).translate


def test_text_labels_and_values():
    html = (
        '<dl><dt data-l10n="received">Received</dt><dd>2026</dd></dl>'
        '<span data-l10n="volume">Volume 3</span>, <span data-l10n="figure">Figure 2</span>'
    )
    assert localise(html, ZH, "zh") == (
        '<dl><dt data-l10n="received" lang="zh-Hans">收稿日期</dt><dd>2026</dd></dl>'
        '<span data-l10n="volume" lang="zh-Hans">第 3 卷</span>, '
        '<span data-l10n="figure" lang="zh-Hans">图 2</span>'
    )


def test_a_translated_word_says_its_language():
    """Inside an English article a Chinese heading is marked Chinese (screen readers)."""
    html = '<section lang="en"><h2><span data-l10n="abstract">Abstract</span></h2></section>'
    out = localise(html, ZH, "zh")
    assert '<span data-l10n="abstract" lang="zh-Hans">摘要</span>' in out


def test_screen_reader_labels_keep_their_values_escaped():
    html = (
        '<a class="orcid" data-l10n-aria="orcid-of" aria-label=\'ORCID iD of Li "Lee" &lt;W&gt;\'>'
        "https://orcid.org/0000</a>"
    )
    out = localise(html, ZH, "zh")
    assert 'aria-label="Li &quot;Lee&quot; &lt;W&gt; 的 ORCID iD"' in out
    assert out.endswith(">https://orcid.org/0000</a>")


def test_texts_of_another_shape_stay_as_written():
    html = '<span data-l10n="figure">Abb. 1</span><span data-l10n="table">表 2</span>'
    assert localise(html, ZH, "zh") == html


def test_the_words_data_l10n_in_content_are_content():
    html = '<p>The attribute data-l10n="received" is ours.</p><img alt="x data-l10n y" src="a.png">'
    assert localise(html, ZH, "zh") == html


def test_sections_are_named_by_the_journal():
    html = '<p class="article-type" data-l10n="section">Research Article</p>'
    out = localise(html, ZH, "zh", {"Research Article": "研究论文"})
    assert out == '<p class="article-type" data-l10n="section" lang="zh-Hans">研究论文</p>'
    assert localise(html, ZH, "zh", {}) == html


def test_english_is_the_stored_html():
    html = '<dt data-l10n="received">Received</dt>'
    assert localise(html, ZH, "en") is html


def test_words_with_two_meanings_have_a_context():
    from frontiers_de.i18n import _, pgettext

    assert ZH(_("Title")) == "标题"  # an article's or an issue's title
    assert ZH(pgettext("journal", "Title")) == "刊名"  # the journal's name
    assert ZH(pgettext("article page", "Published")) == "发表日期"


def test_a_contributor_named_only_by_type():
    from lxml import etree

    from frontiers_de.production.jats.html import article_fragment
    from tests.publishing_factories import JATS_FIXTURE

    editor = (
        '<contrib contrib-type="editor"><name><surname>Chen</surname>'
        "<given-names>Jie</given-names></name></contrib></contrib-group>"
    )
    jats = JATS_FIXTURE.read_text(encoding="utf-8").replace("</contrib-group>", editor, 1)
    stored = article_fragment(etree.fromstring(jats.encode("utf-8")))
    assert '<span data-l10n="contrib-type">editor</span>' in stored
    assert '<span data-l10n="contrib-type" lang="zh-Hans">编辑</span>' in localise(stored, ZH, "zh")
    other = '<span data-l10n="contrib-type">producer</span>'
    assert localise(other, ZH, "zh") == other  # a type without a translation stays as written


def test_the_correspondence_note_is_labelled_in_the_readers_language():
    """The converter writes "Correspondence: " before the addresses; the page shows that
    word as a label of the reader's language, once, and the addresses as written."""
    from lxml import etree

    from frontiers_de.production.jats.html import article_fragment

    fixture = Path(__file__).resolve().parents[3] / "fixtures" / "jats" / "article-valid.xml"
    tree = etree.fromstring(fixture.read_bytes())
    meta = tree.find("front/article-meta")
    notes = etree.SubElement(meta, "author-notes")
    notes.append(
        etree.fromstring(
            '<corresp id="cor1">Correspondence: <email>ada@example.org</email></corresp>'
        )
    )
    contrib_group = meta.find("contrib-group")
    contrib_group.addnext(notes)  # where the schema has author-notes
    html = article_fragment(tree, "", "")
    assert '<span class="label" data-l10n="correspondence">Correspondence:</span>' in html
    zh = localise(html, ZH, "zh")
    assert '<span class="label" data-l10n="correspondence" lang="zh-Hans">通讯作者：</span>' in zh
    assert "Correspondence" not in zh.split('data-l10n="correspondence"')[1].split("</p>")[0]
    assert "ada@example.org" in zh
