"""The tagged PDF says what it is: /Lang where the language changes, /Scope on table
headers, the table's /Caption, formulas as /Formula with alt text, and hyphenated words that
come out of the PDF whole. One article typeset once for the module (about 3 s)."""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pytest

from frontiers_de.config import JournalProfile
from frontiers_de.production.typesetting.service import TypesetResult, typeset

from .conftest import make_article

LONG_WORDS = [
    "internationalisation",
    "characteristically",
    "institutionalised",
    "accountability",
    "interdisciplinary",
    "conceptualisation",
    "representativeness",
    "multidimensional",
    "telecommunications",
    "incomprehensibility",
]
ENGLISH = " ".join(LONG_WORDS[i % len(LONG_WORDS)] for i in range(90))
CHINESE = "我们比较了不同学习者群体在大规模在线课程中对自适应反馈的反应。" * 5

BODY = f"""
<p>{ENGLISH}</p>
<p xml:lang="zh">{CHINESE}</p>
<p>{ENGLISH} soft\u00adhyphen\u00adated.</p>
<table-wrap id="t2"><label>Table 2</label><caption><title>Scores by group.</title></caption>
<table><thead><tr><th>Group</th><th>Mean</th><th>SD</th></tr></thead>
<tbody><tr><th>A</th><td>1.5</td><td>0.2</td></tr><tr><th>B</th><td>2.5</td><td>0.3</td></tr></tbody>
</table></table-wrap>
<disp-formula id="e2"><label>2</label>
<alt-text>mean score equals the sum of scores over n</alt-text>
<mml:math display="block"><mml:mi>m</mml:mi><mml:mo>=</mml:mo>
<mml:mfrac><mml:mi>S</mml:mi><mml:mi>n</mml:mi></mml:mfrac></mml:math></disp-formula>
<p xml:lang="ar">ندرس التغذية الراجعة التكيفية للمتعلمين في الدورات المفتوحة.</p>
"""


def chinese_english_article() -> bytes:
    """The sample article with Chinese keywords, a Chinese name and affiliation, long
    English paragraphs, a
    Chinese and an Arabic paragraph, a table with row headers and a formula with alt text."""
    article = make_article(BODY).decode("utf-8")
    article = article.replace(
        '<kwd-group xml:lang="en"><kwd>feedback</kwd><kwd>MOOC</kwd></kwd-group>',
        '<kwd-group xml:lang="en"><kwd>feedback</kwd><kwd>MOOC</kwd></kwd-group>'
        '<kwd-group xml:lang="zh"><kwd>反馈</kwd><kwd>慕课</kwd></kwd-group>',
    )
    article = article.replace(
        "<name><surname>Zhang</surname><given-names>Wei</given-names></name>",
        "<name-alternatives>"
        '<name name-style="western"><surname>Zhang</surname><given-names>Wei</given-names></name>'
        '<name name-style="eastern" xml:lang="zh">'
        "<surname>张</surname><given-names>伟</given-names></name>"
        "</name-alternatives>",
    )
    article = article.replace(
        '<aff id="aff2"><institution>East China Normal University</institution>, '
        '<country country="CN">China</country></aff>',
        '<aff id="aff2" xml:lang="zh"><institution>华东师范大学</institution>，上海，'
        '<country country="CN">中国</country></aff>',
    )
    return article.encode("utf-8")


@pytest.fixture(scope="module")
def result() -> TypesetResult:
    return typeset(chinese_english_article(), JournalProfile())


@pytest.fixture(scope="module")
def tree(result: TypesetResult) -> list[tuple[int, str, dict[str, str]]]:
    """The structure tree in document order: (depth, type, {key: value}) with /Lang, /Alt
    and the table attributes' /Scope."""
    rows: list[tuple[int, str, dict[str, str]]] = []

    def walk(node: object, depth: int) -> None:
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item, depth)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            info = {key: str(node[f"/{key}"]) for key in ("Lang", "Alt") if f"/{key}" in node}
            attributes = node.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
                info["Scope"] = str(attributes.Scope)
            rows.append((depth, str(node.S)[1:], info))
            if "/K" in node:
                walk(node.K, depth + 1)

    with pikepdf.open(io.BytesIO(result.pdf_bytes)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        walk(pdf.Root.StructTreeRoot.K, 0)
    return rows


def _children(tree, index: int) -> list[tuple[int, str, dict[str, str]]]:
    depth = tree[index][0]
    below = []
    for row in tree[index + 1 :]:
        if row[0] <= depth:
            break
        below.append(row)
    return below


def test_other_languages_are_marked_where_they_start(tree) -> None:
    languages = [(kind, info["Lang"]) for _, kind, info in tree if "Lang" in info]
    title = next(i for i, (_, kind, _) in enumerate(tree) if kind == "H1")
    # Right after the English title: the Chinese and the Arabic translated titles.
    after_title = [row for row in tree[title + 1 :] if row[0] == tree[title][0]][:2]
    assert [(kind, info.get("Lang")) for _, kind, info in after_title] == [
        ("P", "zh"),
        ("P", "ar"),
    ]
    # The Chinese name and affiliation, the Chinese and Arabic abstracts (with their English
    # headings), the Chinese keywords (English label), the Chinese and Arabic paragraphs.
    assert languages.count(("Span", "zh")) == 2
    abstracts = [i for i, (_, kind, info) in enumerate(tree) if kind == "Sect" and "Lang" in info]
    assert [tree[i][2]["Lang"] for i in abstracts] == ["zh", "ar"]
    for i in abstracts:
        assert ("H2", "en") in [(kind, info.get("Lang")) for _, kind, info in _children(tree, i)]
    assert languages.count(("P", "zh")) >= 3  # title, keywords, body paragraph
    assert languages.count(("P", "ar")) >= 2  # title, body paragraph
    # English inside English says nothing: no element repeats the document's language
    # except the English words inside another language.
    assert all(lang in ("zh", "ar", "en") for _, lang in languages)
    english = [kind for kind, lang in languages if lang == "en"]
    assert english.count("H2") == 2 and "P" not in english


def test_table_headers_have_a_scope_and_the_table_a_caption(tree) -> None:
    tables = [i for i, row in enumerate(tree) if row[1] == "Table"]
    assert len(tables) == 2
    for i in tables:
        kinds = [kind for _, kind, _ in _children(tree, i)]
        assert "Caption" in kinds
    # Table 2 (printed first): a head row, then a row header starting each data row.
    headers = [info.get("Scope") for _, kind, info in _children(tree, tables[0]) if kind == "TH"]
    assert headers == ["/Column", "/Column", "/Column", "/Row", "/Row"]
    assert all(info.get("Scope") for _, kind, info in tree if kind == "TH")


def test_formulas_are_formulas_with_alt_text(tree) -> None:
    formulas = [info.get("Alt", "") for _, kind, info in tree if kind == "Formula"]
    figures = [info.get("Alt", "") for _, kind, info in tree if kind == "Figure"]
    assert "mean score equals the sum of scores over n" in formulas
    assert {"n>1000", "y=1/(1+e^(-x))"} <= set(formulas)
    assert len(formulas) == 4 and all(formulas)
    assert not any(alt in formulas for alt in figures)


def _pdf_text(pdf: bytes, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


def test_hyphenated_words_come_out_whole(result: TypesetResult) -> None:
    # As laid out (-raw): words are broken at line ends, with a plain hyphen.
    raw = _pdf_text(result.pdf_bytes, "-raw")
    assert len(re.findall(r"[a-z]+-\n[a-z]+", raw)) >= 5
    # As copied: no U+2010 or soft hyphen, and the broken words whole again (a plain hyphen
    # at a line end is joined); only a word broken across a page break (the footnote and
    # the running foot between its halves) may stay in two.
    text = _pdf_text(result.pdf_bytes)
    assert "\u2010" not in text and "\u00ad" not in text
    assert len(re.findall(r"[a-z]+-\n", text)) <= 1
    words = re.findall(r"[a-z]+", text)
    assert sum(words.count(w) for w in LONG_WORDS) >= 2 * 90 - 1
    assert "softhyphenated" in words
    assert CHINESE[:20] in text.replace("\n", "")
