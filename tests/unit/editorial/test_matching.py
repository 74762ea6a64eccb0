"""The reviewer finder's match score, worked out by hand (see editorial/matching.py)."""

from __future__ import annotations

import math

import pytest

from frontiers_de.editorial import matching as m


def _keys(text: str) -> list[str]:
    return [t.key for t in m.terms(text)]


def test_terms_fold_drop_common_words_and_plurals():
    assert _keys("The Effects of LEARNING Analytics on Rural Schools, 2024") == [
        "learning",
        "analytic",
        "rural",
        "school",
    ]
    # what the editor is shown is the word as written (folded), not the key
    assert [t.shown for t in m.terms("Networks")] == ["networks"]
    assert _keys("Ça marche: éducation") == ["marche", "education"]


def test_chinese_is_cut_into_overlapping_pairs():
    assert _keys("教育数字化") == ["教育", "育数", "数字", "字化"]
    assert _keys("学习") == ["学习"]
    assert _keys("学") == []  # one character says too little
    assert _keys("COVID-19疫情下的在线学习") == [
        "covid",
        "疫情",
        "情下",
        "下的",
        "的在",
        "在线",
        "线学",
        "学习",
    ]


def test_paper_profile_weights_keywords_over_title_over_abstract():
    paper = m.paper_profile(
        "Rural schools",
        "Rural teachers use learning analytics.",
        ["learning analytics"],
        {"zh": {"title": "乡村学校", "keywords": ["学习分析"], "abstract": ""}},
    )
    assert paper.weights["learning"] == m.KEYWORD
    assert paper.weights["analytic"] == m.KEYWORD
    assert paper.weights["rural"] == m.TITLE  # title beats abstract
    assert paper.weights["teacher"] == m.ABSTRACT
    assert paper.weights["学校"] == m.TITLE
    assert paper.weights["分析"] == m.KEYWORD


@pytest.fixture
def pool() -> list[m.ReviewerProfile]:
    a = m.ReviewerProfile(1)
    a.add("learning analytics", m.FROM_INTERESTS)
    b = m.ReviewerProfile(2)
    b.add("Learning in rural schools", m.FROM_REVIEWED)
    c = m.ReviewerProfile(3)
    c.add("教育数字化", m.FROM_INTERESTS)
    return [a, b, c]


def test_rank_with_known_scores(pool):
    paper = m.paper_profile("Rural schools", "", ["learning analytics"], {})
    ranked = m.rank(paper, pool)
    # rarity: "learning" is had by 2 of 3 reviewers, the others by 1 of 3
    common, rare = 1 + math.log(3 / 2), 1 + math.log(3)
    a = 3 * common * 2 + 3 * rare * 2  # keywords, both in A's interests (doubled)
    b = 3 * common + 2 * rare + 2 * rare  # "learning" (keyword), "rural", "school" (title)
    assert [(r.user_id, r.score) for r in ranked] == [
        (1, round(a, 1)),
        (2, round(b, 1)),
        (3, 0.0),
    ]
    assert (round(a, 1), round(b, 1)) == (21.0, 12.6)
    best = ranked[0]
    assert [t.shown for t in best.terms] == ["analytics", "learning"]  # most points first
    assert best.terms[0].sources == (m.FROM_INTERESTS,)
    assert ranked[1].terms[-1].sources == (m.FROM_REVIEWED,)


def test_a_chinese_paper_finds_the_chinese_interest(pool):
    paper = m.paper_profile("乡村学校的教育数字化", "", [], {})
    ranked = m.rank(paper, pool)
    assert ranked[0].user_id == 3
    assert [t.shown for t in ranked[0].terms] == ["字化", "教育", "数字", "育数"]
    assert ranked[0].score == round(4 * 2 * (1 + math.log(3)) * 2, 1)


def test_equal_scores_keep_one_order():
    paper = m.paper_profile("Nothing shared", "", [], {})
    ranked = m.rank(paper, [m.ReviewerProfile(9), m.ReviewerProfile(4)])
    assert [r.user_id for r in ranked] == [4, 9]
    assert m.rank(paper, []) == []
