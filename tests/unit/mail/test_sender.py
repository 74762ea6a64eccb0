"""Addresses and subjects that cannot inject headers, and the message that is built."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from frontiers_de.mail.sender import (
    FileSender,
    InvalidAddress,
    SMTPSender,
    build_message,
    clean_address,
    clean_subject,
    sender_from_settings,
)


@pytest.mark.parametrize(
    "bad",
    [
        "a@example.org\r\nBcc: victim@example.org",
        "a@example.org\nBcc: victim@example.org",
        "a@example.org\rX-Injected: yes",
        "a@example.org\x00",
        "a@example.org, b@example.org",
        "a@example.org <b@example.org>",
        "not an address",
        "@example.org",
        "a@",
        "a@localhost",
        "",
        "   ",
        "x" * 320 + "@example.org",
    ],
)
def test_bad_addresses_are_refused(bad):
    with pytest.raises(InvalidAddress):
        clean_address(bad)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  a@example.org ", "a@example.org"),
        ("Ada Okafor <ada@example.org>", '"Ada Okafor" <ada@example.org>'),
        ('"Doe, John" <j@example.org>', '"Doe, John" <j@example.org>'),
        ("张伟 <wei@example.cn>", '"张伟" <wei@example.cn>'),
    ],
)
def test_good_addresses_are_kept_quoted(given, stored):
    assert clean_address(given) == stored


def test_subject_loses_line_breaks_and_control_characters():
    assert clean_subject("Review\r\nBcc: victim@example.org\tnow") == (
        "Review Bcc: victim@example.org now"
    )
    long = clean_subject("word " * 200)
    assert len(long) == 250 and long.endswith("…")


def _parse(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.to_message().as_bytes(), policy=email.policy.default)


def test_built_message_has_one_subject_and_no_injected_header():
    message = build_message(
        sender="FDE Press <no-reply@fde.example.org>",
        recipients=["张伟 <wei@example.cn>", '"Doe, John" <j@example.org>'],
        subject="Invitation\r\nBcc: victim@example.org",
        body_text="Dear reviewer,\n",
    )
    parsed = _parse(message)
    assert parsed.get_all("Subject") == ["Invitation Bcc: victim@example.org"]
    assert parsed["Bcc"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["wei@example.cn", "j@example.org"]
    assert parsed["To"].addresses[0].display_name == "张伟"
    assert parsed["Message-ID"].endswith("@fde.example.org>")
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert message.send_to == {
        "=?utf-8?b?5byg5Lyf?= <wei@example.cn>",
        '"Doe, John" <j@example.org>',
    }


def test_html_body_is_an_alternative():
    parsed = _parse(
        build_message(
            sender="no-reply@fde.example.org",
            recipients=["a@example.org"],
            subject="S",
            body_text="text",
            body_html="<p>html</p>",
        )
    )
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed.get_body(preferencelist=("html",)).get_content().strip() == "<p>html</p>"


def test_build_refuses_an_injected_recipient():
    with pytest.raises(InvalidAddress):
        build_message(
            sender="no-reply@fde.example.org",
            recipients=["a@example.org\r\nBcc: victim@example.org"],
            subject="S",
            body_text="t",
        )


def test_file_backend_writes_an_eml(tmp_path: Path, caplog):
    sender = sender_from_settings({"mail.backend": "file", "mail.outbox_dir": str(tmp_path)})
    assert isinstance(sender, FileSender)
    with caplog.at_level("INFO", logger="frontiers_de.mail.sender"):
        sender.send(
            build_message(
                sender="no-reply@fde.example.org",
                recipients=["a@example.org"],
                subject="Welcome",
                body_text="Hello",
            )
        )
    (written,) = tmp_path.glob("*.eml")
    assert email.message_from_bytes(written.read_bytes())["Subject"] == "Welcome"
    assert "a@example.org" in caplog.text and "Welcome" in caplog.text


def test_smtp_backend_reads_host_port_and_credentials_from_settings():
    sender = sender_from_settings(
        {
            "mail.backend": "smtp",
            "mail.host": "smtp.example.org",
            "mail.port": "2525",
            "mail.username": "fde",
            "mail.password": "secret",
            "mail.tls": "true",
        }
    )
    assert isinstance(sender, SMTPSender)
    smtp = sender.mailer.smtp_mailer
    assert (smtp.hostname, smtp.port, smtp.username, smtp.password) == (
        "smtp.example.org",
        2525,
        "fde",
        "secret",
    )
    assert smtp.force_tls and not smtp.no_tls


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown mail\.backend 'pigeon'"):
        sender_from_settings({"mail.backend": "pigeon"})


def test_lines_end_with_crlf_as_smtp_requires():
    raw = (
        build_message(
            sender="no-reply@fde.example.org",
            recipients=["a@example.org"],
            subject="S",
            body_text="one\ntwo\n",
            body_html="<p>x</p>\n<p>y</p>",
        )
        .to_message()
        .as_bytes()
    )
    assert raw.count(b"\r\n") > 10
    assert b"\n" not in raw.replace(b"\r\n", b"")
