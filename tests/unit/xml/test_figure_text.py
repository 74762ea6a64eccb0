"""The rules of a figure's alt text and long description, shared by both forms."""

from __future__ import annotations

import pytest

from frontiers_de.xml import figure_text


def test_cleaning_alt_text_and_long_descriptions() -> None:
    assert figure_text.clean_alt_text("  A\tchart\r\nof\x07 use ") == "A chart of use"
    assert figure_text.clean_alt_text("x" * 250) == "x" * 250
    with pytest.raises(figure_text.DescriptionRefused) as refused:
        figure_text.clean_alt_text("x" * 251)
    assert refused.value.code == "alt-too-long"
    assert figure_text.clean_long_desc("\r\n a  b \r\n\r\n\r\n\r\nc\x00\n") == "a b\n\nc"
    with pytest.raises(figure_text.DescriptionRefused) as refused:
        figure_text.clean_long_desc("y" * 10_001)
    assert refused.value.code == "long-desc-too-long"


def test_the_caption_and_its_title_with_or_without_the_label() -> None:
    shown = ["Scores by group. Higher is better.", "Scores by group."]
    assert figure_text.repeats_caption("scores by group", shown, "Figure 2")
    assert figure_text.repeats_caption("Figure 2: Scores by group", shown, "Figure 2")
    assert figure_text.repeats_caption("图2 Scores by group", shown, "图2")
    assert not figure_text.repeats_caption("Bars: A 3, B 5", shown, "Figure 2")
    assert not figure_text.repeats_caption("", shown)


@pytest.mark.parametrize(
    ("code", "field", "words"),
    [
        ("alt-too-long", "alt_text", "longer than 250"),
        ("alt-repeats-caption", "alt_text", "repeats the caption"),
        ("long-desc-too-long", "long_desc", "longer than 10000"),
    ],
)
def test_each_refusal_names_its_field(code: str, field: str, words: str) -> None:
    message, named = figure_text.refusal(code)
    assert named == field and words in message.interpolate()
