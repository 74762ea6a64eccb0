"""The print HTML of two real articles, byte for byte, against the copies in ``golden/``.

What the typesetter prints is decided in many small places (the converter's parts, the
front and back matter, the template); this catches a change to any of them that was not
meant. The stylesheet and the time of making are left out (they are not the converter's
output), and neither article has formulas or images, whose drawings depend on the
libraries' versions. After a change to the print HTML that is meant, write the copies again
with ``FDE_UPDATE_GOLDEN=1 pytest tests/unit/production/typesetting/test_printhtml_golden.py``
and read their diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from frontiers_de.config import JournalProfile
from frontiers_de.production.typesetting.printhtml import build_print_html, print_css
from frontiers_de.xml.safe import parse_xml

REAL = Path(__file__).parents[3] / "fixtures" / "jats" / "real"
GOLDEN = Path(__file__).parent / "golden"
_MADE_AT = re.compile(r'content="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"')


def _stable(page: str) -> str:
    return _MADE_AT.sub('content="(made at)"', page.replace(print_css(), "/* print.css */"))


@pytest.mark.parametrize("name", ["plos__pbio.2001413", "ubiquity__sta.606"])
def test_print_html_is_unchanged(name: str) -> None:
    source = REAL / f"{name}.xml"
    page = _stable(build_print_html(parse_xml(source.read_bytes()), JournalProfile()).html)
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("FDE_UPDATE_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")
