"""The page in a real headless Chromium, used as a person would: with the keyboard, JavaScript off.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and the
``selenium`` test extra. Without them these tests FAIL, so CI cannot pass without the
browser; set ``SPMS_SEARCH_BROWSER_OPTIONAL=1`` to skip them on a machine that lacks it.
A screenshot of an answer is saved to ``build/test-artifacts/`` (or
``$SPMS_SEARCH_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.serve_load import serving

from .conftest import CORPUS, ROOT

ARTIFACTS = Path(os.environ.get("SPMS_SEARCH_ARTIFACTS") or ROOT / "build" / "test-artifacts")


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or shutil.which("chromedriver", path="/usr/lib/chromium")
    if chromium and driver:
        return chromium, driver
    message = ("Chromium and chromedriver are needed for the browser tests: "
               "apt-get install chromium chromium-driver (or set SPMS_SEARCH_BROWSER_OPTIONAL=1 to skip)")
    if os.environ.get("SPMS_SEARCH_BROWSER_OPTIONAL") == "1":
        pytest.skip(message)
    pytest.fail(message)


def _driver(width: int, height: int) -> Any:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if os.environ.get("SPMS_SEARCH_BROWSER_OPTIONAL") == "1":
            pytest.skip("selenium is not installed")
        pytest.fail("selenium is not installed: pip install '.[test]'")
    chromium, driver_path = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--force-device-scale-factor=1", "--lang=en-GB"):
        options.add_argument(arg)
    # a person who has switched JavaScript off must be able to use every part of the page
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


@pytest.fixture(scope="module")
def base(index_dir: Path) -> Iterator[str]:
    _browser_paths()
    with serving(CORPUS, index_dir, "--base-url", "https://publisher.example/ms/") as url:
        yield url


@pytest.fixture(scope="module")
def browser(base: str) -> Iterator[Any]:
    driver = _driver(1280, 900)
    try:
        yield driver
    finally:
        driver.quit()


def _ask(browser: Any, base: str, question: str) -> None:
    """Open the page, find the field by its label, type the question and press Enter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(base + "/")
    label = browser.find_element(By.CSS_SELECTOR, "label")
    assert label.text == "Your question"
    field = browser.find_element(By.ID, label.get_attribute("for"))
    field.send_keys(question, Keys.ENTER)
    _wait_for_results(browser, question)


def _wait_for_results(browser: Any, question: str) -> None:
    """Enter starts a navigation; wait (bounded) until the new page's results heading is there."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def arrived(driver: Any) -> bool:
        found = driver.find_elements(By.ID, "results-heading")
        try:
            return bool(found) and f"\u201c{question}\u201d" in found[0].text
        except Exception:  # noqa: BLE001 - the old page went away while we read it
            return False

    WebDriverWait(browser, 30).until(arrived)


def _visible_text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.TAG_NAME, "body").text)


def test_a_question_shows_results_under_their_heading_path_with_the_answer_marked(browser, base):
    from selenium.webdriver.common.by import By

    _ask(browser, base, "can I still get relapses?")
    assert "?q=can+I+still+get+relapses" in browser.current_url
    first = browser.find_elements(By.CSS_SELECTOR, "ol.results > li")[0]
    heading = first.find_element(By.TAG_NAME, "h3").text
    assert heading == ("Secondary progressive MS (SPMS) \u203a Can you still get relapses with "
                       "secondary progressive MS (SPMS)?")
    source = first.find_element(By.PARTIAL_LINK_TEXT, "at its source")
    assert source.get_attribute("href") == ("https://publisher.example/ms/secondary-progressive-ms.html"
                                            "#can-you-still-get-relapses-with-secondary-progressive-ms-spms")
    mark = first.find_element(By.CSS_SELECTOR, ".passage mark")
    assert mark.is_displayed() and "relapse" in mark.text
    assert mark.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "page-answer.png"))


def test_no_confident_answer_offers_headings_to_read(browser, base):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _ask(browser, base, "how do I renew my passport")
    assert "No confident answer for \u201chow do I renew my passport\u201d" in _visible_text(browser)
    link = browser.find_element(By.LINK_TEXT, "Steroids")
    link.click()
    WebDriverWait(browser, 30).until(lambda d: "section=steroids" in d.current_url)
    sentence = "If you have secondary progressive MS with relapses, they can be treated with steroids."
    WebDriverWait(browser, 30).until(lambda d: sentence in _visible_text(d))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "page-section.png"))


def test_the_keyboard_reaches_everything_in_order_with_a_visible_focus(browser, base):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(base + "/?q=who+helps+with+balance+problems%3F")
    order = []
    for _ in range(5):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        order.append((focused.tag_name, focused.get_attribute("id") or focused.text))
        assert focused.value_of_css_property("outline-style") == "solid", order[-1]
        assert focused.value_of_css_property("outline-width") == "3px", order[-1]
    assert order[:3] == [("a", "Skip to the search"), ("input", "q"), ("button", "Search")]
    # then each result's link to its source, in reading order
    assert [tag for tag, _ in order[3:]] == ["a", "a"]
    assert all(text.startswith("Read \u201c") for _, text in order[3:])
    # the field keeps the question, and Enter from the keyboard alone asks again
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB * 3).key_up(Keys.SHIFT).perform()
    field = browser.switch_to.active_element
    assert field.get_attribute("value") == "who helps with balance problems?"
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
        .send_keys("what is HSCT?", Keys.ENTER).perform()
    _wait_for_results(browser, "what is HSCT?")
    assert "Answers for \u201cwhat is HSCT?\u201d" in _visible_text(browser)


def _luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_contrast_is_at_least_4_5_to_1(browser, base):
    from selenium.webdriver.common.by import By

    browser.get(base + "/?q=steroids+for+a+relapse")
    checked = 0
    for selector, background_of in [("body", "body"), ("header h1", "header"), ("label", "body"),
                                    (".hint", "body"), ("button", "button"), ("mark", "mark"),
                                    ("a", "body"), ("h3", "body"), ("footer p", "body")]:
        element = browser.find_element(By.CSS_SELECTOR, selector)
        owner = browser.find_element(By.CSS_SELECTOR, background_of)
        ratio = _contrast(element.value_of_css_property("color"),
                          owner.value_of_css_property("background-color"))
        assert ratio >= 4.5, (selector, ratio)
        checked += 1
    assert checked == 9


@pytest.mark.parametrize("width", [320, 640])  # a phone, and a 1280 px window at 200 % zoom
def test_the_page_reflows_without_sideways_scrolling(browser, base, width):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500})
    try:
        browser.get(base + "/?q=is+there+a+drug+for+active+SPMS%3F")
        viewport = browser.execute_script("return document.documentElement.clientWidth")
        assert width - 20 <= viewport <= width  # less a vertical scroll bar, if any
        assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport
        for element in browser.find_elements(By.CSS_SELECTOR, "main *, header *"):
            if element.is_displayed():
                rect = element.rect
                assert rect["x"] >= 0 and rect["x"] + rect["width"] <= viewport + 1, (element.tag_name, rect)
        assert browser.find_element(By.ID, "q").size["width"] > 100
        for control in ("q", "button"):  # WCAG 2.5.8: targets at least 24 x 24 CSS pixels
            size = browser.find_element(By.ID if control == "q" else By.TAG_NAME, control).size
            assert size["width"] >= 24 and size["height"] >= 24, (control, size)
        if width == 320:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(ARTIFACTS / "page-phone.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
