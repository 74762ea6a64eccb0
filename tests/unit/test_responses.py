"""Every download goes out with nosniff and a Content-Disposition that any name survives."""

from __future__ import annotations

from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import unquote

import pytest

from frontiers_de.responses import content_disposition, file_response


def _real_name(header: str) -> str:
    """The name a browser takes: filename* (RFC 6266) when present, else filename."""
    message = Message()
    message["Content-Disposition"] = header
    values = [v for k, v in message.get_params(header="content-disposition")[1:] if k == "filename"]
    extended = [v for v in values if isinstance(v, tuple)]  # filename*, decoded by email
    return collapse_rfc2231_value(extended[0]) if extended else values[0]


@pytest.mark.parametrize(
    "name",
    [
        "article.pdf",
        'say "cheese".csv',
        "back\\slash.png",
        "数据 表 1.xlsx",
        "line\r\nSet-Cookie: a=b.txt",
        "tab\tname;x=1.png",
        "%41%20.png",
    ],
)
def test_any_name_survives_and_cannot_break_the_header(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
    assert _real_name(header) == name
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        assert header == f'attachment; filename="{name}"'
    else:
        assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name


def test_inline_and_attachment():
    assert content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'
    assert content_disposition("a.pdf").startswith("attachment;")


def test_file_response_sends_text_as_utf8_with_nosniff():
    response = file_response("Müller, 王", "application/x-bibtex", "cite.bib")
    assert response.body == "Müller, 王".encode()
    assert response.content_type == "application/x-bibtex"
    assert response.charset == "utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cite.bib"'


def test_file_response_bytes_keep_their_type_and_can_answer_304():
    response = file_response(b"%PDF-1.7", "application/pdf", "a.pdf", conditional=True)
    assert response.charset is None and response.conditional_response
