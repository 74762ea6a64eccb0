"""Folding text to one comparable form, and Chinese cut into character pairs: shared by the
reader's search and the reviewer finder."""

from __future__ import annotations

from frontiers_de.folding import fold, fold_with_origins, is_cjk, split_scripts


def test_fold():
    assert fold("Müller  ÉCOLE\tｌｅａｒｎｉｎｇ") == "muller ecole learning"
    assert fold("teacher’s – role") == "teacher's - role"
    assert fold_with_origins("Ab") == ("ab", [0, 1])


def test_split_scripts():
    assert split_scripts("covid-19疫情期间", quoted=False) == ["covid-19", "疫情", "情期", "期间"]
    assert split_scripts("疫情期间", quoted=True) == ["疫情期间"]
    assert split_scripts("学习", quoted=False) == ["学习"]
    assert is_cjk("学") and not is_cjk("a")
