"""The journal's name in the interface language, and its other name beside it."""

from __future__ import annotations

from frontiers_de.journals.models import Journal


def test_names_by_language():
    journal = Journal(
        title="Frontiers of Digital Education", title_zh="数字教育前沿", language="en"
    )
    assert journal.title_in("zh") == "数字教育前沿"
    assert journal.title_in("en") == "Frontiers of Digital Education"
    assert journal.other_title("zh") == ("Frontiers of Digital Education", "en")
    assert journal.other_title("en") == ("数字教育前沿", "zh")


def test_a_journal_without_a_chinese_name():
    journal = Journal(title="Open Letters", title_zh="", language="en")
    assert journal.title_in("zh") == "Open Letters"
    assert journal.other_title("zh") is None and journal.other_title("en") is None
