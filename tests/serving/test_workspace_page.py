"""The workspace in headless Chromium: sign in, a brief's shortlist saved, edited, exported,
shared and reopened, a campaign report with its plot; `/docs` and `/redoc` with the CDNs
blocked. Each test saves screenshots under its output folder (and, with
CREATORMATCH_SCREENSHOT_DIR set, a copy there)."""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from creatormatch.core import Home
from creatormatch.serving import create_app
from tests.serving.conftest import Keys, bearer, settings_of, train_small_models
from tests.serving.signin import PASSWORD, USERS, make_users
from tests.serving.test_page import _browser_or_skip, on_loopback
from tests.value_models import train_value_models

CDNS = ["*cdn.jsdelivr.net*", "*unpkg.com*", "*fonts.googleapis.com*", "*fonts.gstatic.com*",
        "*fastapi.tiangolo.com*", "*cdn.redoc.ly*"]  # fmt: skip
# ReDoc's attribution logo: the bundle asks for it and hides the image when it fails to load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
IDS = "return [...document.querySelectorAll('#shortlist tbody tr')].map(r => r.dataset.creatorId)"
RESOURCES = "return performance.getEntriesByType('resource').map((e) => e.name)"
STATUS = "return document.getElementById('status')?.textContent"


@contextmanager
def serving(home: Home) -> Iterator[str]:
    """The app on a free loopback port: docs on, cookies over plain http, two users."""
    make_users(home)
    with on_loopback(create_app(settings_of(home, cookie_secure=False, docs_enabled=True))) as url:
        yield url


@pytest.fixture()
def server(home: Home, keys: Keys) -> Iterator[str]:
    with serving(home) as url:
        yield url


@pytest.fixture()
def valued_server(home: Home, keys: Keys) -> Iterator[str]:
    """The server of a home with every model: listed creators have predictions and fraud bands."""
    train_small_models(home)
    train_value_models(home)
    with serving(home) as url:
        yield url


@dataclass
class Page:
    """Headless Chromium on one server, with the few moves these tests make."""

    driver: Any
    server: str
    out: Path

    def open(self, path: str) -> None:
        self.driver.get(self.server + path)

    def all(self, selector: str) -> list[Any]:
        return list(self.driver.find_elements("css selector", selector))

    def one(self, selector: str) -> Any:
        found = self.all(selector)
        assert found, f"no element {selector!r}"
        return found[0]

    def ids(self) -> list[str]:
        """The listed creators, read in one script: the table is replaced whole on each change."""
        return list(self.driver.execute_script(IDS))

    def wait(self, condition: Callable[[], object], seconds: float = 20) -> None:
        """Wait for `condition`; on a timeout, fail with what the page's status line says."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.driver, seconds).until(lambda _: condition())
        except TimeoutException:
            status = self.driver.execute_script(STATUS)
            raise AssertionError(f"timed out; the page's status: {status!r}") from None

    def elsewhere(self) -> list[str]:
        """Resources the page loaded from anywhere but the server."""
        urls = self.driver.execute_script(RESOURCES)
        return [url for url in urls if not url.startswith(self.server)]

    def shot(self, name: str) -> None:
        path = self.out / f"{name}.png"
        self.driver.save_screenshot(str(path))
        shared = os.environ.get("CREATORMATCH_SCREENSHOT_DIR")
        if shared:
            Path(shared).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(shared) / path.name)
        assert path.stat().st_size > 10_000

    def click_in_row(self, row: int, kind: str) -> None:
        self.all("#shortlist tbody tr")[row].find_element("css selector", f"button.{kind}").click()

    def type(self, selector: str, text: object) -> None:
        self.one(selector).clear()
        self.one(selector).send_keys(str(text))


@contextmanager
def chromium(server: str, out: Path) -> Iterator[Page]:
    """Headless Chromium that cannot reach the CDNs FastAPI's docs would load."""
    binary, driver = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(out)})
    browser = webdriver.Chrome(service=Service(driver), options=options)
    browser.set_window_size(1400, 1000)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": CDNS})
    try:
        yield Page(browser, server, out)
    finally:
        browser.quit()


@pytest.fixture()
def page(server: str, tmp_path: Path) -> Iterator[Page]:
    with chromium(server, tmp_path) as opened:
        yield opened


@pytest.fixture()
def valued_page(valued_server: str, tmp_path: Path) -> Iterator[Page]:
    with chromium(valued_server, tmp_path) as opened:
        yield opened


def test_docs_and_redoc_render_from_the_apps_own_assets_with_the_cdns_blocked(
    page: Page,
) -> None:
    page.open("/docs")
    page.wait(lambda: len(page.all(".opblock")) >= 20)
    paths = {e.text for e in page.all(".opblock-summary-path")}
    assert {"/v1/session", "/v1/shortlists/saved", "/v1/campaigns/{campaign_id}/report"} <= paths
    assert page.elsewhere() == []
    page.shot("docs-offline")
    page.open("/redoc")
    page.wait(lambda: len(page.all("li[data-item-id]")) >= 20)
    text = page.one("body").text
    assert "saved shortlists" in text and "/v1/campaigns/{campaign_id}/report" in text
    assert page.elsewhere() in ([], [REDOC_LOGO])
    page.shot("redoc-offline")


def _sign_in(page: Page, password: str = PASSWORD) -> None:
    page.open("/")
    page.type("#email", USERS["acme"])
    page.type("#password", password)
    page.one("#signin-submit").click()


def test_a_wrong_password_shows_the_generic_error_and_keeps_the_form(page: Page) -> None:
    _sign_in(page, password="not my password")
    status = page.one("#signin-status")
    page.wait(lambda: "401" in status.text)
    assert "the email or the password is wrong" in status.text
    assert page.one("#signin").is_displayed() and not page.one("#account").is_displayed()
    page.shot("sign-in-refused")


def _save_and_edit(page: Page) -> None:
    """Find creators for a brief, save them, remove the first, pin the third."""
    page.type("#brief", "hiit squats protein workout")
    page.type("#k", 5)
    page.type("#budget", 3000)
    page.one("#submit").click()
    page.wait(lambda: len(page.ids()) == 5)
    assert "Total spend" in page.one("#spend").text
    page.shot("signed-in-shortlist")
    page.type("#save-name", "Spring launch")
    page.one("#save").click()
    page.wait(lambda: page.one("#results-title").text == "Saved: Spring launch")
    page.wait(lambda: [e.text for e in page.all(".open-saved")] == ["Spring launch"])
    before = page.ids()
    page.click_in_row(0, "remove")
    page.wait(lambda: page.ids()[:1] == before[1:2])
    assert before[0] not in page.ids() and len(page.ids()) == 5
    assert page.one("#removed").is_displayed()
    third = page.ids()[2]
    page.click_in_row(2, "pin")
    page.wait(lambda: page.ids()[0] == third)
    page.shot("saved-shortlist")


def _export_share_and_book(page: Page) -> str:
    """Export the open list as XLSX, share it, book it for campaign `spring`; the share link."""
    page.one("#export-xlsx").click()
    xlsx = page.out / "shortlist.xlsx"
    page.wait(lambda: xlsx.is_file() and xlsx.stat().st_size > 0, 10)
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["Shortlist"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == page.ids()
    page.one("#share").click()
    page.wait(lambda: "#shared=" in page.one("#share-url").text)
    page.type("#book-campaign", "spring")
    page.one("#book").click()
    page.wait(lambda: "campaign spring" in page.one("#saved-list").text)
    return str(page.one("#share-url").get_attribute("href"))


def _report(page: Page, key: str) -> None:
    """Outcomes for the listed creators (3, 7, 11, 15, 19 conversions), then the report."""
    outcomes = [
        {"campaign_id": "spring", "brand_id": "b", "creator_id": creator, "impressions": 8_000,
         "conversions": 4 * n + 3, "spend": 300.0}
        for n, creator in enumerate(page.ids())
    ]  # fmt: skip
    body = {"outcomes": outcomes}
    stored = httpx.post(page.server + "/v1/outcomes", json=body, headers=bearer(key), timeout=30)
    assert stored.status_code == 200, stored.text
    page.type("#campaign-id", "spring")
    page.one("#campaign-load").click()
    page.wait(lambda: len(page.all("#report-plot circle")) == 5)
    totals = page.one("#report-totals").text
    assert "Spend 1,500 of the budget 3,000" in totals and "55 conversions" in totals
    assert len(page.all("#report-table tbody tr")) == 5
    page.driver.execute_script("document.getElementById('campaign').scrollIntoView()")
    page.shot("campaign-report")


def test_sign_in_save_edit_export_share_and_report_a_campaign(
    valued_page: Page, keys: Keys
) -> None:
    page = valued_page
    _sign_in(page)
    page.wait(lambda: page.one("#account").is_displayed())
    assert USERS["acme"] in page.one("#whoami").text and not page.one("#signin").is_displayed()
    _save_and_edit(page)
    link = _export_share_and_book(page)
    listed = page.ids()
    _report(page, keys.acme)

    page.driver.get(link)
    page.driver.refresh()  # a new hash alone does not load the page again
    page.wait(lambda: page.one("#results-title").text == "Shared: Spring launch")
    assert page.ids() == listed and not page.all("#shortlist button.remove")
    page.one("#signout").click()
    page.wait(lambda: page.one("#signin").is_displayed())


def test_more_and_fewer_like_this_rank_the_list_again_from_a_row(page: Page) -> None:
    _sign_in(page)
    page.wait(lambda: page.one("#account").is_displayed())
    page.type("#brief", "hiit squats protein workout pasta recipe baking dinner")
    page.type("#k", 8)
    page.one("#submit").click()
    page.wait(lambda: len(page.ids()) == 8)
    first = page.ids()[0]
    page.click_in_row(0, "fewer-like")
    page.wait(lambda: page.one("#results-title").text == "Shortlist (more like 0, fewer like 1)")
    assert first not in page.ids()
    page.click_in_row(0, "more-like")
    page.wait(lambda: page.one("#results-title").text == "Shortlist (more like 1, fewer like 1)")
    assert first not in page.ids() and len(page.ids()) == 8
    page.shot("refined-shortlist")


def test_a_card_shows_its_evidence_and_marked_captions_and_two_creators_compare(
    valued_page: Page,
) -> None:
    page = valued_page
    _sign_in(page)
    page.wait(lambda: page.one("#account").is_displayed())
    page.type("#brief", "hiit squats protein workout")
    page.type("#countries", "US:1")
    page.type("#k", 5)
    page.one("#submit").click()
    page.wait(lambda: len(page.ids()) == 5)
    page.click_in_row(0, "details")
    page.wait(lambda: page.one("#card").is_displayed())
    card = page.one("#card")
    assert card.find_element("css selector", "h3").text.startswith("fitness_")
    # Engagement against its size's median, or a note when its bin is too small to have one.
    assert re.search(r"engagement \d+\.\d%(, [\d.]+× the median| \(no benchmark)", card.text)
    assert "Rests on 5 posts" in card.text
    assert {m.text.lower() for m in page.all("#card mark")} & {"hiit", "squats", "protein"}
    assert "US (target)" in card.text  # the audience bar the brief aims at
    page.shot("creator-card")
    for box in page.all(".compare-pick input")[:2]:
        box.click()
    page.one("#compare-picked").click()
    page.wait(lambda: page.one("#compare").is_displayed())
    heads = [th.text for th in page.all("#compare-table thead th")]
    assert heads[1:] == [page.all("#shortlist tbody tr")[r].find_elements("tag name", "td")[1].text
                         for r in (0, 1)]  # fmt: skip
    assert len(page.all("#compare-table tbody tr")) == 11
    page.shot("compare")
