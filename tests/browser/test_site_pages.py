"""Key pages in a real browser: keyboard access, language switch, small screens."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(live_server, page):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_turns_the_interface_chinese(live_server, page):
    page.goto(live_server + "/")
    page.select_option("#language-select", "zh")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "首页" in page.locator("nav.site-nav").inner_text()


def test_home_page_fits_a_phone_screen(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server + "/")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    phone.screenshot(path=str(tmp_path / "home-phone.png"), full_page=True)
    context.close()
    assert not overflow
