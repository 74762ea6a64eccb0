"""Are the fonts the print CSS names installed, and does every script in the text have one?

Without a font for a script, Pango draws empty boxes ("tofu") and says nothing. We would
rather say it: the installed families come from fontconfig (``fc-list``), the families the
CSS names are checked against them, and text in Chinese, Japanese, Korean or Arabic gets a
clear warning naming the Debian package to install when no named font covers it.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass

GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math"}


@dataclass(frozen=True)
class Script:
    name: str
    pattern: re.Pattern[str]
    sample: str  # a character every font of the script has
    families: tuple[str, ...]  # the families our CSS uses for it, best first
    package: str


SCRIPTS = (
    Script(
        "Chinese/Japanese",
        re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
        "中",
        ("Noto Serif CJK SC", "Noto Sans CJK SC"),
        "fonts-noto-cjk",
    ),
    Script(
        "Korean",
        re.compile(r"[\uac00-\ud7af]"),
        "한",
        ("Noto Serif CJK KR", "Noto Sans CJK KR", "Noto Serif CJK SC"),
        "fonts-noto-cjk",
    ),
    Script(
        "Arabic",
        re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
        "ب",
        ("Noto Naskh Arabic", "Noto Sans Arabic"),
        "fonts-noto-core",
    ),
    Script(
        "Cyrillic",
        re.compile(r"[\u0400-\u04ff]"),
        "Ж",
        ("Noto Serif", "DejaVu Serif"),
        "fonts-noto-core",
    ),
    Script(
        "Greek",
        re.compile(r"[\u0370-\u03ff]"),
        "λ",
        ("Noto Serif", "DejaVu Serif"),
        "fonts-noto-core",
    ),
)


def _fc_list(*args: str) -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    result = subprocess.run(
        ["fc-list", *args], capture_output=True, text=True, check=False, timeout=30
    )
    return result.stdout.splitlines()


@functools.lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """Every family name fontconfig knows (each alias of a face counts), lower-cased."""
    names: set[str] = set()
    for line in _fc_list(":", "family"):
        names.update(part.strip().lower() for part in line.split(",") if part.strip())
    return frozenset(names)


@functools.lru_cache(maxsize=32)
def families_covering(char: str) -> frozenset[str]:
    """Installed families that have a glyph for ``char``."""
    names: set[str] = set()
    for line in _fc_list(f":charset={ord(char):x}", "family"):
        names.update(part.strip().lower() for part in line.split(",") if part.strip())
    return frozenset(names)


_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.I)


def families_in_css(css: str) -> list[str]:
    """Family names a stylesheet asks for, in order, without the generic keywords."""
    seen: list[str] = []
    for declaration in _FONT_FAMILY.findall(css):
        for raw in declaration.split(","):
            name = raw.strip().strip("\"'").strip()
            if name and name.lower() not in GENERIC_FAMILIES and name not in seen:
                seen.append(name)
    return seen


def check_fonts(
    css: str,
    text: str,
    installed: frozenset[str] | None = None,
    covering: dict[str, frozenset[str]] | None = None,
) -> list[str]:
    """Warnings for fonts the CSS names that are missing and for scripts with no font.

    ``installed`` (lower-case family names) and ``covering`` (sample character -> families
    that have it) default to what fontconfig says on this machine.
    """
    installed = installed_families() if installed is None else installed
    warnings: list[str] = []
    if not installed:
        return ["fontconfig (fc-list) is not available: fonts could not be checked"]
    missing = [name for name in families_in_css(css) if name.lower() not in installed]
    if missing:
        warnings.append(
            "fonts named in the print CSS are not installed: "
            + ", ".join(missing)
            + " (run scripts/system-deps.sh serve); other fonts are used instead"
        )
    for script in SCRIPTS:
        if not script.pattern.search(text):
            continue
        wanted = {f.lower() for f in script.families}
        if wanted & installed:
            continue
        fallback = (
            covering.get(script.sample, frozenset())
            if covering is not None
            else families_covering(script.sample)
        )
        if fallback:
            warnings.append(
                f"{script.name} text is set in a fallback font ({sorted(fallback)[0]}): "
                f"install {script.package} for {script.families[0]}"
            )
        else:
            warnings.append(
                f"{script.name} text cannot be shown: no installed font has its characters "
                f"and it would print as empty boxes; install {script.package}"
            )
    return warnings
