"""Email templates: subject and bodies, language variants, escaping only in HTML."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from frontiers_de.mail.services import TemplateNotFound, render_email

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = {"jinja2.directories": str(ROOT / "templates")}
CONTEXT = {
    "name": "Eve <b>Evil</b> & Co",
    "set_password_url": "http://localhost/password/reset/abc",
    "base_url": "http://localhost",
    "journal": None,
}


def test_english_is_the_default():
    mail = render_email(SETTINGS, "accounts_set_password", CONTEXT)
    assert mail.subject == "Your account at FDE Press: choose a password"
    assert "http://localhost/password/reset/abc" in mail.body_text
    assert mail.body_text.startswith("Dear Eve <b>Evil</b> & Co,")  # plain text: not escaped


def test_html_body_is_escaped():
    mail = render_email(SETTINGS, "accounts_set_password", CONTEXT)
    assert "Eve &lt;b&gt;Evil&lt;/b&gt; &amp; Co" in mail.body_html
    assert "<b>Evil</b>" not in mail.body_html


def test_language_variant_is_chosen_from_lang():
    mail = render_email(SETTINGS, "accounts_set_password", {**CONTEXT, "lang": "zh"})
    assert mail.subject.startswith("您在《FDE Press》的账户")
    assert "请打开以下链接设置您的密码" in mail.body_text
    assert 'lang="zh-Hans"' in mail.body_html


def test_a_language_without_variant_falls_back_to_english():
    mail = render_email(SETTINGS, "accounts_set_password", {**CONTEXT, "lang": "fr"})
    assert mail.subject.startswith("Your account")


def test_missing_context_is_an_error_not_a_blank():
    context = {k: v for k, v in CONTEXT.items() if k != "set_password_url"}
    with pytest.raises(jinja2.UndefinedError, match="set_password_url"):
        render_email(SETTINGS, "accounts_set_password", context)


@pytest.mark.parametrize("name", ["no_such_template", "../layout", "", ".hidden"])
def test_unknown_or_unsafe_template_names(name):
    with pytest.raises(TemplateNotFound):
        render_email(SETTINGS, name, CONTEXT)


def test_subject_of_a_template_is_one_line(tmp_path: Path):
    folder = tmp_path / "email" / "two_lines"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("About {{ title }}\n\nsecond line\n", encoding="utf-8")
    (folder / "body.txt").write_text("Body", encoding="utf-8")
    mail = render_email(
        {"jinja2.directories": str(tmp_path)}, "two_lines", {"title": "X\r\nBcc: v@example.org"}
    )
    assert mail.subject == "About X Bcc: v@example.org second line"
    assert mail.body_html == ""
