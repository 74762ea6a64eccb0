"""FDE-REF-004: references whose fields cannot be right are flagged, plausible ones are not;
and what the parser now makes of arXiv ids, preprints, data, software, web pages and
GB/T 7714 passes the rule and the JATS 1.3 schema."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.production.jats.check import check_house_rules
from frontiers_de.production.jats.references import build_ref_list, parse_reference
from frontiers_de.production.jats.rules.reference_fields import fields_trusted
from frontiers_de.xml.safe import parse_xml
from frontiers_de.xml.schemas import validate

ROOT = Path(__file__).resolve().parents[4]
VALID = ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml"
GOLD = ROOT / "tests" / "fixtures" / "references" / "kinds_gold.json"
RULE = "FDE-REF-004"


def article_with(ref_list: etree._Element) -> etree._ElementTree:
    tree = parse_xml(VALID)
    old = tree.getroot().find("back/ref-list")
    old.getparent().replace(old, ref_list)
    for xref in tree.getroot().iter("xref"):
        if xref.get("ref-type") == "bibr":
            xref.set("rid", ref_list.find("ref").get("id"))
    return tree


def findings_for(citation_xml: str) -> list[str]:
    ref_list = etree.fromstring(
        '<ref-list xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<ref id="b1">{citation_xml}</ref></ref-list>'
    )
    return [f.message for f in check_house_rules(article_with(ref_list), rule_ids=[RULE])]


# The parse the issue reported: "arXiv:1906.01998" read as year 1906, "report" .01998,
# source "Available".
BAD_ARXIV = (
    "<citation-alternatives><element-citation publication-type='report'>"
    "<person-group person-group-type='author'><name><surname>Nielsen</surname>"
    "<given-names>AAK</given-names></name></person-group>"
    "<article-title>Deep learning to predict the lab-of-origin</article-title>"
    "<source>Available</source><year>1906</year>"
    "<pub-id pub-id-type='other'>.01998</pub-id></element-citation>"
    "<mixed-citation>Nielsen AAK. Deep learning to predict the lab-of-origin. "
    "arXiv:1906.01998. Available from: https://arxiv.org/abs/1906.01998</mixed-citation>"
    "</citation-alternatives>"
)


def test_the_reported_bad_parse_is_flagged_with_every_problem():
    (message,) = findings_for(BAD_ARXIV)
    assert message.startswith("reference fields look mis-parsed: b1:")
    assert "year 1906 is the start of an identifier" in message
    assert "source is the word 'Available'" in message
    assert "'.01998' starts with punctuation" in message


@pytest.mark.parametrize(
    "fields, problem",
    [
        ("<source>J Hist</source><year>1492</year>", "year 1492 is outside 1500"),
        ("<source>J Fut</source><year>2090</year>", "year 2090 is outside"),
        ("<source>Retrieved from</source><year>2020</year>", "source is the word"),
        ("<article-title>In</article-title><source>X</source><year>2020</year>", "article-title"),
        ("<source>Nature</source><year>2020</year><volume>;12</volume>", "volume ';12'"),
        ("<source>Nature</source><year>2020</year><fpage>-5</fpage>", "fpage '-5'"),
        ("<source>网址</source><year>2020</year>", "source is the word"),
        # the parser ran on past the field into the link words or the identifier
        ("<source>GitHub. . Available</source><year>2018</year>", "ends in the word 'Available'"),
        (
            "<article-title>Data needed? arXiv. arXiv; Jan. Report No.: 1511.06348</article-title>"
            "<source>arXiv</source><year>2016</year>"
            "<pub-id pub-id-type='arxiv'>1511.06348</pub-id>",
            "holds the identifier 1511.06348",
        ),
    ],
)
def test_implausible_fields_are_flagged(fields, problem):
    (message,) = findings_for(
        f"<element-citation publication-type='journal'>{fields}</element-citation>"
    )
    assert problem in message


@pytest.mark.parametrize(
    "fields",
    [
        "<source>Philos Trans</source><year>1665</year><volume>1</volume>",
        f"<source>Nature</source><year>{datetime.date.today().year + 1}</year>",
        "<source>Nature</source><year>2020a</year><fpage>e12</fpage>",
        "<source>In Practice</source><year>2019</year>",  # a journal whose name starts "In"
        # the year stands in the text too: an arXiv id of the same month is no reason to doubt it
        "<source>arXiv</source><year>2019</year><pub-id pub-id-type='arxiv'>1906.01998</pub-id>",
        "<source>Nature</source><year>n.d.</year>",
    ],
)
def test_plausible_fields_pass(fields):
    assert (
        findings_for(f"<element-citation publication-type='journal'>{fields}</element-citation>")
        == []
    )


def test_untagged_text_is_left_to_ref_003():
    assert findings_for("<mixed-citation>Smith J. Available. 1066.</mixed-citation>") == []


def test_the_parser_no_longer_makes_the_reported_mistake():
    ref = parse_reference(
        "Nielsen AAK, Voigt CA. Deep learning to predict the lab-of-origin of engineered DNA. "
        "arXiv:1906.01998. Available from: https://arxiv.org/abs/1906.01998"
    )
    assert ref.arxiv == "1906.01998"
    assert ref.year == ""  # not 1906; the id says June 2019 but the author gave no year
    assert ref.source == "arXiv" and ref.publication_type == "preprint"
    assert not ref.volume and not ref.issue


def test_every_gold_reference_is_valid_jats_and_passes_the_rule(schema_dir):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    ref_list = build_ref_list([item["text"] for item in gold])
    tree = article_with(ref_list)
    assert validate(tree.getroot(), "jats-1.3") == []
    assert check_house_rules(tree, rule_ids=[RULE]) == []
    types = {c.get("publication-type") for c in ref_list.iter("element-citation")}
    assert {"preprint", "data", "software", "webpage", "thesis", "confproc"} <= types


# NLM's form of a preprint (what Zotero and PubMed-style exports write): the id stands
# again as a report number, the server as the publisher, the month after the year.
NLM_PREPRINT = (
    "Strubell E, Ganesh A, McCallum A. Energy and Policy Considerations for Deep Learning "
    "in NLP. arXiv. arXiv; 2019 Jun. Report No.: 1906.02243. "
    "Available: https://arxiv.org/abs/1906.02243"
)


def test_a_preprint_in_nlm_form_parses_whole() -> None:
    ref = parse_reference(NLM_PREPRINT)
    assert ref is not None
    assert (ref.year, ref.source, ref.arxiv) == ("2019", "arXiv", "1906.02243")
    assert ref.title == "Energy and Policy Considerations for Deep Learning in NLP"
    assert not ref.fpage and not ref.volume


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # "Available:" before the link is a link word, not the source
        ("Molnar C. Interpretable Machine Learning. 2019. Available: https://ml.example.org/", ""),
        # "In: GitHub" names the container, not a place of publication
        (
            "Lee B. deep-rules GitHub repository. In: GitHub [Internet]. 2018. "
            "Available: https://github.com/example/deep-rules",
            "GitHub",
        ),
    ],
)
def test_link_words_and_containers_are_not_sources(text, source) -> None:
    ref = parse_reference(text)
    assert ref is not None
    assert ref.source == source
    assert not ref.publisher_loc


def _ref(citation: str) -> etree._Element:
    return etree.fromstring(
        f"<ref id='r1'><citation-alternatives>{citation}</citation-alternatives></ref>"
    )


def test_an_unsigned_article_parsed_whole_is_trusted() -> None:
    unsigned = _ref(
        "<element-citation publication-type='journal'>"
        "<article-title>Towards trustable machine learning</article-title>"
        "<source>Nature Biomedical Engineering</source><year>2018</year><volume>2</volume>"
        "<fpage>709</fpage><lpage>710</lpage></element-citation>"
        "<mixed-citation>Towards trustable machine learning. Nature Biomedical Engineering. "
        "2018;2: 709–710.</mixed-citation>"
    )
    assert fields_trusted(unsigned)
    # a list of names taken for the title is followed by the real title, not source+year
    names_as_title = _ref(
        "<element-citation publication-type='preprint'>"
        "<article-title>Alexander Ratner, Christopher De Sa</article-title>"
        "<source>Data Programming. arXiv</source><year>2016</year></element-citation>"
        "<mixed-citation>Alexander Ratner, Christopher De Sa. Data Programming. arXiv. arXiv; "
        "2016 May.</mixed-citation>"
    )
    assert not fields_trusted(names_as_title)
