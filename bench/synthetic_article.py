# ruff: noqa: E501  (JATS markup templates read better unbroken)
"""A synthetic JATS article for the typesetting benchmark: about 20 printed pages with
6 figures, 4 tables, 25 formulas (10 displayed, 15 inline) and 80 references."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

WORDS = [
    "learning",
    "students",
    "teachers",
    "digital",
    "platform",
    "feedback",
    "assessment",
    "course",
    "online",
    "engagement",
    "analytics",
    "model",
    "data",
    "study",
    "results",
    "design",
    "school",
    "university",
    "classroom",
    "adaptive",
    "curriculum",
    "outcomes",
    "evidence",
    "practice",
    "technology",
    "support",
    "motivation",
    "peer",
    "collaboration",
    "performance",
    "measure",
    "effect",
    "group",
    "survey",
    "interview",
    "participants",
]

INLINE_MATH = [
    "<mml:msub><mml:mi>x</mml:mi><mml:mi>i</mml:mi></mml:msub>",
    "<mml:msup><mml:mi>e</mml:mi><mml:mrow><mml:mo>-</mml:mo><mml:mi>t</mml:mi></mml:mrow></mml:msup>",
    "<mml:mi>α</mml:mi><mml:mo>=</mml:mo><mml:mn>0.05</mml:mn>",
    "<mml:mover><mml:mi>y</mml:mi><mml:mo>^</mml:mo></mml:mover>",
    "<mml:msqrt><mml:mi>n</mml:mi></mml:msqrt>",
]
DISPLAY_MATH = [
    "<mml:mi>y</mml:mi><mml:mo>=</mml:mo><mml:mfrac><mml:mn>1</mml:mn><mml:mrow><mml:mn>1</mml:mn>"
    "<mml:mo>+</mml:mo><mml:msup><mml:mi>e</mml:mi><mml:mrow><mml:mo>-</mml:mo><mml:mi>β</mml:mi>"
    "<mml:mi>x</mml:mi></mml:mrow></mml:msup></mml:mrow></mml:mfrac>",
    "<mml:munderover><mml:mo>∑</mml:mo><mml:mrow><mml:mi>i</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn>"
    "</mml:mrow><mml:mi>N</mml:mi></mml:munderover><mml:msup><mml:mrow><mml:mo>(</mml:mo><mml:msub>"
    "<mml:mi>x</mml:mi><mml:mi>i</mml:mi></mml:msub><mml:mo>-</mml:mo><mml:mover><mml:mi>x</mml:mi>"
    "<mml:mo>¯</mml:mo></mml:mover><mml:mo>)</mml:mo></mml:mrow><mml:mn>2</mml:mn></mml:msup>",
    "<mml:mi>P</mml:mi><mml:mo>(</mml:mo><mml:mi>A</mml:mi><mml:mo>|</mml:mo><mml:mi>B</mml:mi>"
    "<mml:mo>)</mml:mo><mml:mo>=</mml:mo><mml:mfrac><mml:mrow><mml:mi>P</mml:mi><mml:mo>(</mml:mo>"
    "<mml:mi>B</mml:mi><mml:mo>|</mml:mo><mml:mi>A</mml:mi><mml:mo>)</mml:mo><mml:mi>P</mml:mi>"
    "<mml:mo>(</mml:mo><mml:mi>A</mml:mi><mml:mo>)</mml:mo></mml:mrow><mml:mrow><mml:mi>P</mml:mi>"
    "<mml:mo>(</mml:mo><mml:mi>B</mml:mi><mml:mo>)</mml:mo></mml:mrow></mml:mfrac>",
]


def _sentence(rng: random.Random, words: int = 18) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(_sentence(rng, rng.randint(12, 24)) for _ in range(sentences))


def make_figures(folder: Path, count: int = 6) -> None:
    """Chart-like PNG figures at print size (1800 x 1100 px)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for n in range(1, count + 1):
        path = folder / f"fig{n}.png"
        if path.exists():
            continue
        image = Image.new("RGB", (1800, 1100), "white")
        draw = ImageDraw.Draw(image)
        draw.line([(120, 1000), (1750, 1000)], fill="black", width=4)
        draw.line([(120, 1000), (120, 60)], fill="black", width=4)
        for bar in range(12):
            height = rng.randint(100, 900)
            x = 180 + bar * 130
            draw.rectangle([x, 1000 - height, x + 90, 1000], fill=(40 + bar * 15, 90, 160))
        image.save(path, optimize=False)


def make_article(seed: int = 1, paragraphs: int = 54) -> bytes:
    """The article as JATS bytes; ``seed`` varies the text between articles of an issue."""
    rng = random.Random(seed)
    inline_left = 15
    display_left = 10
    figures = [f"f{n}" for n in range(1, 7)]
    tables = [f"t{n}" for n in range(1, 5)]
    sections = []
    per_section = paragraphs // 6
    for s in range(6):
        parts = [f"<sec id='s{s + 1}'><title>{_sentence(rng, 4)[:-1]}</title>"]
        for p in range(per_section):
            text = _paragraph(rng)
            cite = (
                f" <xref ref-type='bibr' rid='r{rng.randint(1, 80)}'>[{rng.randint(1, 80)}]</xref>"
            )
            math = ""
            if inline_left and p % 3 == 0:
                inline_left -= 1
                math = f" with <inline-formula><mml:math>{INLINE_MATH[inline_left % 5]}</mml:math></inline-formula>"
            parts.append(f"<p>{text}{math}{cite}.</p>")
            if display_left and p % 5 == 2:
                display_left -= 1
                n = 10 - display_left
                parts.append(
                    f"<p>We estimate<disp-formula id='e{n}'><label>{n}</label><mml:math display='block'>"
                    f"{DISPLAY_MATH[n % 3]}</mml:math></disp-formula>for each group.</p>"
                )
            if figures and p == 4:
                f = figures.pop(0)
                parts.append(
                    f"<p>See <xref ref-type='fig' rid='{f}'>Figure {f[1:]}</xref>.</p>"
                    f"<fig id='{f}'><label>Figure {f[1:]}</label><caption><title>{_sentence(rng, 8)}</title>"
                    f"<p>{_sentence(rng, 20)}</p></caption><graphic xlink:href='fig{f[1:]}'/></fig>"
                )
            if tables and p == 7 and s < 4:
                t = tables.pop(0)
                rows = "".join(
                    "<tr>" + "".join(f"<td>{rng.random():.3f}</td>" for _ in range(5)) + "</tr>"
                    for _ in range(12)
                )
                parts.append(
                    f"<p>See <xref ref-type='table' rid='{t}'>Table {t[1:]}</xref>.</p>"
                    f"<table-wrap id='{t}'><label>Table {t[1:]}</label><caption><title>{_sentence(rng, 8)}</title></caption>"
                    "<table><thead><tr><th>Group</th><th>Mean</th><th>SD</th><th>Effect</th><th>p</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table></table-wrap>"
                )
        parts.append("</sec>")
        sections.append("".join(parts))
    refs = []
    for r in range(1, 81):
        refs.append(
            f"<ref id='r{r}'><label>{r}</label><element-citation publication-type='journal'>"
            "<person-group person-group-type='author'>"
            + "".join(
                f"<name><surname>{rng.choice(WORDS).title()}</surname><given-names>{rng.choice('ABCDEFGH')}</given-names></name>"
                for _ in range(rng.randint(1, 5))
            )
            + f"</person-group><article-title>{_sentence(rng, 10)[:-1]}</article-title>"
            f"<source>Journal of {rng.choice(WORDS).title()} Studies</source><year>{2000 + r % 24}</year>"
            f"<volume>{r}</volume><fpage>{r * 3}</fpage><lpage>{r * 3 + 12}</lpage>"
            f"<pub-id pub-id-type='doi'>10.5555/bench.{seed}.{r}</pub-id></element-citation></ref>"
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:ali="http://www.niso.org/schemas/ali/1.0/" article-type="research-article" xml:lang="en">
<front><journal-meta><journal-title-group><journal-title>Frontiers of Digital Education</journal-title></journal-title-group>
<publisher><publisher-name>FDE Press</publisher-name></publisher></journal-meta>
<article-meta><article-id pub-id-type="doi">10.5555/fde.2026.{seed:04d}</article-id>
<title-group><article-title>{_sentence(rng, 10)[:-1]}</article-title></title-group>
<contrib-group>{"".join(f"<contrib contrib-type='author'><name><surname>{rng.choice(WORDS).title()}</surname><given-names>{rng.choice('ABCDEFGH')}</given-names></name><xref ref-type='aff' rid='a1'/></contrib>" for _ in range(4))}</contrib-group>
<aff id="a1">Institute of Digital Education, Shanghai, China</aff>
<pub-date date-type="pub"><day>1</day><month>3</month><year>2026</year></pub-date><volume>3</volume><issue>1</issue>
<elocation-id>e{seed}</elocation-id>
<permissions><license><ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref></license></permissions>
<abstract><p>{_paragraph(rng, 8)}</p></abstract>
<kwd-group><kwd>learning</kwd><kwd>feedback</kwd></kwd-group>
</article-meta></front>
<body>{"".join(sections)}</body>
<back><ack><p>{_paragraph(rng, 2)}</p></ack><ref-list><title>References</title>{"".join(refs)}</ref-list></back>
</article>""".encode()
