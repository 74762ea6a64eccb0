"""What an admin's or editor's Markdown may become: headings, lists, tables, links to web
pages and the site's own paths; never markup of its own or a link that runs script."""

from __future__ import annotations

from frontiers_de.site.markdown import first_paragraph, to_html


def test_headings_lists_tables_and_links_are_made():
    html = str(to_html("## Fees\n\n- none\n- ever\n\n|a|b|\n|-|-|\n|1|2|\n\n[guide](/about/fees)"))
    assert "<h2>Fees</h2>" in html
    assert "<li>none</li>" in html
    assert "<td>1</td>" in html
    assert '<a href="/about/fees">guide</a>' in html


def test_raw_html_is_shown_as_text():
    html = str(to_html('<script>alert(1)</script><img src=x onerror="alert(2)">'))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_that_could_run_script_or_leave_for_another_host_are_not_links():
    for url in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:x",
        "data:text/html,<b>x</b>",
        "//evil.example/x",
        "file:///etc/passwd",
    ):
        assert "<a " not in str(to_html(f"[x]({url})")), url
    # A backslash is escaped into the path, so browsers never read it as "//".
    assert 'href="/%5Cevil.example"' in str(to_html("[x](/\\evil.example)"))
    assert "<img" not in str(to_html("![x](data:image/png;base64,AAAA)"))
    assert '<a href="mailto:office@example.org">' in str(to_html("[m](mailto:office@example.org)"))
    assert '<a href="https://example.org">' in str(to_html("[w](https://example.org)"))


def test_first_paragraph_is_plain_words_cut_at_a_word():
    assert first_paragraph("\n\n## Call for papers\n\nMore") == "Call for papers"
    long = "word " * 100
    teaser = first_paragraph(long, limit=30)
    assert teaser.endswith("…") and len(teaser) <= 31 and "wor…" not in teaser
    assert first_paragraph("") == ""
