"""Fonts the print CSS names exist, and scripts without a font are reported, not tofu."""

from __future__ import annotations

from frontiers_de.production.typesetting.fonts import (
    check_fonts,
    families_in_css,
    installed_families,
)
from frontiers_de.production.typesetting.printhtml import print_css

CSS = (
    'p { font-family: "Noto Serif", "Noto Serif CJK SC", serif } '
    "h1 { font-family: Nowhere Sans, sans-serif; }"
)


def test_families_are_read_from_the_css_without_generic_names() -> None:
    assert families_in_css(CSS) == ["Noto Serif", "Noto Serif CJK SC", "Nowhere Sans"]


def test_a_missing_family_is_named() -> None:
    installed = frozenset({"noto serif", "noto serif cjk sc"})
    warnings = check_fonts(CSS, "plain text", installed=installed, covering={})
    assert len(warnings) == 1 and "Nowhere Sans" in warnings[0]


def test_chinese_without_its_font_is_reported_with_the_package_to_install() -> None:
    installed = frozenset({"noto serif", "nowhere sans", "dejavu serif"})
    warnings = check_fonts(CSS, "标题", installed=installed, covering={})
    assert any("Chinese" in w and "empty boxes" in w and "fonts-noto-cjk" in w for w in warnings)


def test_arabic_in_a_fallback_font_is_reported() -> None:
    installed = frozenset({"noto serif", "noto serif cjk sc", "nowhere sans"})
    warnings = check_fonts(
        CSS, "مرحبا", installed=installed, covering={"ب": frozenset({"dejavu sans"})}
    )
    assert warnings == [
        "Arabic text is set in a fallback font (dejavu sans): "
        "install fonts-noto-core for Noto Naskh Arabic"
    ]


def test_this_machine_has_every_font_the_print_css_names() -> None:
    # scripts/system-deps.sh installs them; the corpus and unit tests rely on it.
    assert installed_families(), "fontconfig reports no fonts"
    assert check_fonts(print_css(), "中文 العربية Ελληνικά Русский") == []
