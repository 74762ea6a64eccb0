# ruff: noqa: E501  (the sample article is JATS text, kept as written)
"""A small but complete JATS article, and real figure files made with Pillow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

ARTICLE = """<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:ali="http://www.niso.org/schemas/ali/1.0/" article-type="research-article"
  dtd-version="1.3" xml:lang="en">
<front>
<journal-meta>
  <journal-title-group><journal-title>Frontiers of Digital Education</journal-title>
  <abbrev-journal-title>Front. Digit. Educ.</abbrev-journal-title></journal-title-group>
  <issn publication-format="electronic">2999-0001</issn>
  <publisher><publisher-name>FDE Press</publisher-name></publisher>
</journal-meta>
<article-meta>
  <article-id pub-id-type="doi">10.5555/fde.2026.0042</article-id>
  <article-categories><subj-group subj-group-type="heading"><subject>Research Article</subject></subj-group></article-categories>
  <title-group>
    <article-title>Adaptive feedback in <italic>massive</italic> online courses</article-title>
    <alt-title alt-title-type="running-head">Adaptive feedback</alt-title>
    <trans-title-group xml:lang="zh"><trans-title>大规模在线课程中的自适应反馈</trans-title></trans-title-group>
    <trans-title-group xml:lang="ar"><trans-title>التغذية الراجعة التكيفية في الدورات المفتوحة</trans-title></trans-title-group>
  </title-group>
  <contrib-group>
    <contrib contrib-type="author" corresp="yes">
      <contrib-id contrib-id-type="orcid">https://orcid.org/0000-0002-1825-0097</contrib-id>
      <name><surname>Okonkwo</surname><given-names>Adaeze</given-names></name>
      <email>a.okonkwo@example.org</email>
      <xref ref-type="aff" rid="aff1"/>
      <role vocab="credit" vocab-term-identifier="https://credit.niso.org/contributor-roles/conceptualization/">Conceptualization</role>
    </contrib>
    <contrib contrib-type="author">
      <name><surname>Zhang</surname><given-names>Wei</given-names></name>
      <xref ref-type="aff" rid="aff2"/>
      <role>Writing – original draft</role>
    </contrib>
  </contrib-group>
  <aff id="aff1"><institution>University of Lagos</institution>, <country country="NG">Nigeria</country></aff>
  <aff id="aff2"><institution>East China Normal University</institution>, <country country="CN">China</country></aff>
  <pub-date date-type="pub" publication-format="electronic"><day>12</day><month>3</month><year>2026</year></pub-date>
  <volume>3</volume><issue>1</issue><elocation-id>e42</elocation-id>
  <history>
    <date date-type="received"><day>1</day><month>10</month><year>2025</year></date>
    <date date-type="accepted"><day>20</day><month>1</month><year>2026</year></date>
  </history>
  <permissions>
    <copyright-statement>© 2026 The Authors</copyright-statement>
    <copyright-year>2026</copyright-year>
    <license><ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>
    <license-p>This article is distributed under the terms of the Creative Commons Attribution 4.0 licence.</license-p></license>
  </permissions>
  <abstract><p>We study adaptive feedback for <inline-formula><mml:math><mml:mi>n</mml:mi><mml:mo>&gt;</mml:mo><mml:mn>1000</mml:mn></mml:math></inline-formula> learners.</p></abstract>
  <trans-abstract xml:lang="zh"><p>我们研究了大规模在线课程中的自适应反馈。</p></trans-abstract>
  <trans-abstract xml:lang="ar"><p>ندرس التغذية الراجعة التكيفية للمتعلمين.</p></trans-abstract>
  <kwd-group xml:lang="en"><kwd>feedback</kwd><kwd>MOOC</kwd></kwd-group>
  <funding-group><award-group><funding-source>National Science Fund</funding-source><award-id>NSF-123</award-id></award-group></funding-group>
</article-meta>
</front>
<body>
<sec id="s1"><title>Introduction</title>
<p>Feedback matters <xref ref-type="bibr" rid="r1">[1]</xref>, as shown in <xref ref-type="fig" rid="f1">Figure 1</xref>
and <xref ref-type="table" rid="t1">Table 1</xref>.<xref ref-type="fn" rid="fn1">a</xref>
A link to nowhere: <xref ref-type="bibr" rid="missing">[99]</xref>.</p>
<p>The model is <disp-formula id="e1"><label>1</label><mml:math display="block"><mml:mi>y</mml:mi><mml:mo>=</mml:mo><mml:mfrac><mml:mn>1</mml:mn><mml:mrow><mml:mn>1</mml:mn><mml:mo>+</mml:mo><mml:msup><mml:mi>e</mml:mi><mml:mrow><mml:mo>-</mml:mo><mml:mi>x</mml:mi></mml:mrow></mml:msup></mml:mrow></mml:mfrac></mml:math></disp-formula>
where <inline-formula><tex-math>$\\alpha_i$</tex-math></inline-formula> is a weight, see <xref ref-type="disp-formula" rid="e1">Eq 1</xref>.</p>
<sec id="s1-1"><title>Background</title>
<list list-type="bullet"><list-item><p>first point</p></list-item><list-item><p>second point</p></list-item></list>
</sec>
</sec>
<sec id="s2"><title>Results</title>
<p>FIGURES_HERE</p>
<fig id="f1"><label>Figure 1</label><caption><title>A missing figure.</title><p>Its file does not exist.</p></caption>
<graphic xlink:href="nothere.png"/></fig>
<table-wrap id="t1"><label>Table 1</label><caption><title>Scores.</title></caption>
<table><thead><tr><th>Group</th><th>Mean</th></tr></thead>
<tbody><tr><td>A</td><td>1.5</td></tr><tr><td>B</td><td>2.5</td></tr></tbody></table>
<table-wrap-foot><fn id="tfn1"><p>Standard deviations omitted.</p></fn></table-wrap-foot></table-wrap>
</sec>
</body>
<back>
<ack><p>We thank the learners.</p></ack>
<sec sec-type="data-availability"><title>Data availability</title><p>Data are at the repository.</p></sec>
<fn-group>
<fn id="fn1"><p>A footnote about feedback.</p></fn>
<fn fn-type="conflict" id="coi"><p>The authors declare no competing interests.</p></fn>
</fn-group>
<ref-list><title>References</title>
<ref id="r1"><label>1</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Hattie</surname><given-names>John</given-names></name><name><surname>Timperley</surname><given-names>Helen</given-names></name></person-group>
<article-title>The power of feedback</article-title><source>Review of Educational Research</source><year>2007</year>
<volume>77</volume><issue>1</issue><fpage>81</fpage><lpage>112</lpage><pub-id pub-id-type="doi">10.3102/003465430298487</pub-id></element-citation></ref>
<ref id="r2"><label>2</label><mixed-citation publication-type="book"><person-group person-group-type="author"><name><surname>Shute</surname><given-names>V</given-names></name></person-group>. <source>Focus on formative feedback</source>. Princeton: ETS; <year>2008</year>.</mixed-citation></ref>
</ref-list>
</back>
</article>
"""


def make_article(figures: str = "") -> bytes:
    """The sample article; ``figures`` is JATS put into the Results section."""
    return ARTICLE.replace("<p>FIGURES_HERE</p>", figures).encode("utf-8")


@pytest.fixture
def article_bytes() -> bytes:
    return make_article()


def _drawing(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle(
        [w // 10, h // 10, w // 2, h // 2], fill="blue" if mode != "CMYK" else (255, 0, 0, 0)
    )
    draw.line(
        [0, h - 1, w - 1, 0],
        fill="red" if mode != "CMYK" else (0, 255, 0, 0),
        width=max(1, w // 100),
    )
    return image


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    """One figure per format: PNG, JPEG, TIFF, SVG, a huge PNG and a CMYK JPEG."""
    folder = tmp_path / "assets"
    folder.mkdir()
    _drawing((600, 400)).save(folder / "fig-png.png")
    _drawing((800, 500)).save(folder / "fig-jpeg.jpg", quality=85)
    _drawing((500, 500)).save(folder / "fig-tiff.tif")
    _drawing((5000, 2500)).save(folder / "fig-huge.png", compress_level=1)
    _drawing((400, 300), "CMYK").save(folder / "fig-cmyk.jpg")
    (folder / "fig-svg.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
        '<rect x="10" y="10" width="80" height="80" fill="green"/>'
        '<text x="110" y="55" font-size="20">SVG</text></svg>',
        encoding="utf-8",
    )
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    return folder


FIGURES_ALL_FORMATS = "".join(
    f'<fig id="img-{n}"><label>Figure {i}</label><caption><title>Format {n}.</title></caption>'
    f'<graphic xlink:href="{href}"/></fig>'
    for i, (n, href) in enumerate(
        [
            ("png", "fig-png"),
            ("jpeg", "fig-jpeg.jpg"),
            ("tiff", "fig-tiff.tif"),
            ("svg", "fig-svg.svg"),
            ("huge", "fig-huge.png"),
        ],
        start=2,
    )
)
