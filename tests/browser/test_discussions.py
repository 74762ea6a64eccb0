"""A paper's discussions in a real browser: the author writes to the editors with a file,
the handling editor sees it unread and answers, the reviewer and the editor talk without
the authors' names; at 390 px nothing is wider than the screen. Screenshots of each page at
1280 and 390 px go to /tmp/D-shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.functional.test_discussions import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/D-shots")


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")


def shoot(page, name: str, width: int) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


@pytest.mark.parametrize("width", [1280, 390])
def test_author_editor_and_reviewer_discuss(live_server, browser, world, tmp_path, width):  # noqa: F811
    sid, aid = world["paper"], world["rita"]
    viewport = {"width": width, "height": 900 if width > 400 else 844}
    people = {}
    for who in ("author", "se", "rita"):
        people[who] = browser.new_context(viewport=viewport, locale="en-GB").new_page()
        sign_in(people[who], live_server, f"{who}@example.org")

    author = people["author"]
    author.goto(f"{live_server}/submissions/{sid}")
    author.click("a.discussions-link")
    shoot(author, "author-empty-list", width)
    attachment = tmp_path / "data-sharing-plan.pdf"
    attachment.write_bytes(b"%PDF-1.4\n%%EOF\n")
    author.fill("#subject", "When may we share the interview data?")
    author.fill(
        "#body",
        "Our ethics approval lets us share the transcripts only after publication.\n\n"
        "Is it enough to say so in the data availability statement?",
    )
    author.set_input_files("#attachment", str(attachment))
    author.click(".start-thread button[type=submit]")
    assert "The discussion is started" in author.inner_text(".flashes")
    shoot(author, "author-thread", width)

    editor = people["se"]
    editor.goto(f"{live_server}/editorial/submissions/{sid}/review")
    assert "1 unread" in editor.inner_text(".discussions-line")
    editor.click("a.discussions-link")
    shoot(editor, "editor-list", width)
    editor.click("a.thread-subject")
    editor.fill("#body", "Yes, that is enough. Please name the repository you will use.")
    editor.click(".reply button[type=submit]")
    assert "Your message is sent" in editor.inner_text(".flashes")
    shoot(editor, "editor-thread", width)

    editor.goto(f"{live_server}/editorial/submissions/{sid}/discussions")
    editor.check("#kind-reviewer")
    editor.fill("#subject", "Figure 3 in your copy")
    editor.fill("#body", "Is figure 3 readable in the anonymised PDF?")
    editor.click(".start-thread button[type=submit]")
    editor.goto(f"{live_server}/editorial/submissions/{sid}/discussions")
    shoot(editor, "editor-list-two", width)

    rita = people["rita"]
    rita.goto(f"{live_server}/reviews/{aid}")
    rita.click("a.discussions-link")
    rita.click("a.thread-subject")
    assert "Lovelace" not in rita.inner_text("main")
    assert "Sam Editor" in rita.inner_text("main")
    rita.fill("#body", "It is blurred; a vector version would help.")
    rita.click(".reply button[type=submit]")
    shoot(rita, "reviewer-thread", width)

    # The author's page shows the editor's answer, never the reviewer's thread.
    author.goto(f"{live_server}/submissions/{sid}/discussions")
    text = author.inner_text("main")
    assert "Figure 3" not in text and "Rita" not in text and "1 unread" in text
    # In Chinese, the same page.
    author.context.add_cookies([{"name": "fde_lang", "value": "zh", "url": live_server}])
    author.goto(f"{live_server}/submissions/{sid}/discussions")
    assert "1 条未读" in author.inner_text("main") and "开始讨论" in author.inner_text("main")
    shoot(author, "author-list-zh", width)
    for page in people.values():
        page.context.close()
