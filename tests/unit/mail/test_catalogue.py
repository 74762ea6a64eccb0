"""The catalogue of emails: every template the system sends is declared, and each default
template (every language) uses only the variables declared for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from frontiers_de.mail.catalogue import ALWAYS, EMAIL_LANGUAGES, TEMPLATES
from frontiers_de.mail.overrides import names_read

ROOT = Path(__file__).resolve().parents[3]
EMAIL = ROOT / "templates" / "email"
FILES = sorted(p for p in EMAIL.glob("*/*") if p.is_file())


def test_every_template_folder_is_declared_and_every_declared_one_exists():
    folders = {p.name for p in EMAIL.iterdir() if p.is_dir()}
    assert folders == set(TEMPLATES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_default_templates_use_only_declared_variables(path: Path):
    env = Environment()
    used = names_read(env.parse(path.read_text(encoding="utf-8")))
    declared = TEMPLATES[path.parent.name].names | set(ALWAYS)
    assert used - declared - set(env.globals) == set()


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_comes_in_every_email_language(name: str):
    for lang in EMAIL_LANGUAGES:
        suffix = "" if lang == "en" else f".{lang}"
        assert (EMAIL / name / f"subject{suffix}.txt").is_file()
        assert (EMAIL / name / f"body{suffix}.txt").is_file()


def test_letter_fill_ins_are_declared_variables():
    for declared in TEMPLATES.values():
        assert set(declared.fill_ins) <= declared.names
        assert set(declared.required) <= set(declared.fill_ins)
