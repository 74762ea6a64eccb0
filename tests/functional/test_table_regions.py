"""Every data table of every template scrolls inside its own region (WCAG 1.4.10 at 320 px,
2.1.1 for the keyboard): the element around ``<table class="data">`` is a
``div.table-scroll`` with ``role="region"``, ``tabindex="0"`` and an ``aria-labelledby``
that names an id the same template gives (a heading, a caption or a summary). The browser
test tests/browser/test_reflow.py checks the same on each page it measures."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REGION = re.compile(
    r'<div class="table-scroll" role="region" aria-labelledby="(?P<label>[^"]+)" tabindex="0">'
    r"\s*<table class=\"data"
)


def test_every_data_table_is_in_a_labelled_focusable_region() -> None:
    unwrapped, unlabelled = [], []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        tables = text.count('<table class="data')
        regions = list(REGION.finditer(text))
        if len(regions) != tables:
            unwrapped.append(f"{path.relative_to(TEMPLATES)}: {tables - len(regions)}")
        for region in regions:
            label = region["label"]
            if f'id="{label}"' not in text:
                unlabelled.append(f"{path.relative_to(TEMPLATES)}: {label}")
    assert not unwrapped, unwrapped
    assert not unlabelled, unlabelled
