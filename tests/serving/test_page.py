"""The discovery page end to end in headless Chromium: brief → table → CSV; lookalikes."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from creatormatch.core import Home
from creatormatch.serving import create_app
from tests.serving.conftest import Keys, settings_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _browser_or_skip() -> tuple[str, str]:
    if CHROMIUM and DRIVER:
        return CHROMIUM, DRIVER
    reason = "headless Chromium is absent: `apt-get install chromium chromium-driver` (make test)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the browser test must run: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def on_loopback(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port, for a real browser; its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def server(home: Home) -> Iterator[str]:
    with on_loopback(create_app(settings_of(home))) as url:
        yield url


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[object]:
    chromium, driver = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path)})
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_window_size(1400, 1000)
    yield chrome
    chrome.quit()


def _rows(chrome: object) -> list:
    from selenium.webdriver.common.by import By

    return chrome.find_elements(By.CSS_SELECTOR, "#shortlist tbody tr")  # type: ignore[attr-defined]


def test_a_brief_gives_a_shortlist_table_a_csv_and_lookalikes(
    server: str, browser: object, keys: Keys, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chrome: object = browser
    chrome.get(server + "/")  # type: ignore[attr-defined]
    find = chrome.find_element  # type: ignore[attr-defined]
    find(By.ID, "api-key").send_keys(keys.acme)
    find(By.ID, "brief").send_keys("hiit squats protein workout")
    find(By.CSS_SELECTOR, "#platforms input[value='tiktok']").click()
    find(By.ID, "k").clear()
    find(By.ID, "k").send_keys("5")
    find(By.ID, "submit").click()
    WebDriverWait(chrome, 20).until(lambda c: len(_rows(c)) == 5)
    cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in _rows(chrome)]
    assert all(c[1].startswith("fitness_") for c in cells)  # handle
    assert all(c[2] in {"nano", "micro", "macro", "mega"} for c in cells)  # tier
    assert all(c[3] == "—" and c[4].startswith("unknown") for c in cells)  # no models trained
    assert all("share" in c[5] or "match" in c[5] or c[5] for c in cells)  # why it matched
    chrome.save_screenshot(str(tmp_path / "discovery-page.png"))  # type: ignore[attr-defined]
    shot = os.environ.get("CREATORMATCH_SCREENSHOT_DIR")
    if shot:
        Path(shot).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "discovery-page.png", Path(shot) / "discovery-page.png")
    assert (tmp_path / "discovery-page.png").stat().st_size > 10_000

    find(By.ID, "export").click()
    csv_path = tmp_path / "shortlist.csv"
    WebDriverWait(chrome, 10).until(lambda _: csv_path.is_file() and csv_path.stat().st_size > 0)
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("rank,creator_id,handle,platform,tier") and len(lines) == 6
    assert lines[1].split(",")[2] == cells[0][1]

    first = _rows(chrome)[0].get_attribute("data-creator-id")
    _rows(chrome)[0].find_element(By.CLASS_NAME, "lookalikes").click()
    title = find(By.ID, "results-title")
    WebDriverWait(chrome, 20).until(lambda _: title.text.startswith("Lookalikes of"))
    ids = [row.get_attribute("data-creator-id") for row in _rows(chrome)]
    assert ids and first not in ids


def test_a_bad_key_shows_the_error_on_the_page(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chrome: object = browser
    chrome.get(server + "/")  # type: ignore[attr-defined]
    chrome.find_element(By.ID, "api-key").send_keys("cm_wrong_key")  # type: ignore[attr-defined]
    chrome.find_element(By.ID, "brief").send_keys("pasta")  # type: ignore[attr-defined]
    chrome.find_element(By.ID, "submit").click()  # type: ignore[attr-defined]
    status = chrome.find_element(By.ID, "status")  # type: ignore[attr-defined]
    WebDriverWait(chrome, 10).until(lambda _: "401" in status.text)
    assert "Unauthorized" in status.text
