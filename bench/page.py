"""`creatormatch bench page`: the discovery page in headless Chromium, served on loopback over N
synthetic creators (the home `bench api` builds: stand-in embedder, no trained models).

Timed in the browser itself, so a WebDriver round trip is never counted:
- page load: Navigation Timing of `/` (the load event), signed out, and signed in until the saved
  shortlists have arrived (Resource Timing of `GET /v1/shortlists/saved`);
- a shortlist: from the click on "Find creators" to the frame after the table is in the DOM,
  with the part spent waiting for `POST /v1/shortlists` (Resource Timing) shown beside it.
Prints a table of medians and p95 and, last, one JSON line.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from creatormatch.bench.api import BRIEFS, _free_port, _wait_ready, build_home, start_server

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

LOAD_TARGET_MS, SHORTLIST_TARGET_MS = 1_000.0, 500.0
EMAIL = "bench@bench.example"
SAVED = (
    "performance.getEntriesByType('resource').find((e) => e.name.endsWith('/v1/shortlists/saved'))"
)
LOADED = f"""
const nav = performance.getEntriesByType('navigation')[0], saved = {SAVED};
return {{load: nav.loadEventEnd, saved: saved === undefined ? null : saved.responseEnd}};
"""
# Resolves once render() has filled the table (a MutationObserver runs after the whole render)
# and the next frame has been drawn.
SHORTLIST = """
const [brief, k, done] = arguments;
const body = document.querySelector('#shortlist tbody');
document.getElementById('brief').value = brief;
document.getElementById('k').value = String(k);
performance.clearResourceTimings();
const start = performance.now();
new MutationObserver((_, observer) => {
  observer.disconnect();
  const inDom = performance.now() - start;
  requestAnimationFrame(() => setTimeout(() => {
    const post = performance.getEntriesByType('resource')
      .find((e) => e.name.endsWith('/v1/shortlists'));
    done({painted: performance.now() - start, in_dom: inDom, request: post.responseEnd - start,
          rows: body.rows.length});
  }));
}).observe(body, {childList: true});
document.getElementById('submit').click();
"""


def _executable(flag: str, given: str | None, names: tuple[str, ...]) -> str:
    """`given`, else the first of `names` on PATH; InvalidInput naming `flag` if neither is."""
    from creatormatch.core import InvalidInput

    found = given or next((path for name in names if (path := shutil.which(name))), None)
    if found is None or not Path(found).is_file():
        where = f"got {given!r}" if given else f"and no {' or '.join(names)} on PATH"
        raise InvalidInput(f"expected {flag} PATH naming an executable, {where}")
    return found


def open_browser(binary: str, driver: str) -> WebDriver:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    browser.set_window_size(1400, 1000)
    browser.set_script_timeout(120)
    return browser


def make_user(root: Path) -> str:
    """A marketer of tenant `bench` with a fresh password (the home may be reused); the password."""
    from creatormatch.core import Home
    from creatormatch.store import UserStore, Workspace

    password = secrets.token_urlsafe(16)
    workspace = Workspace.of(Home(root))
    try:
        users = UserStore(workspace)
        if any(user.email == EMAIL for user in users.users()):
            users.remove(EMAIL)
        users.create("bench", EMAIL, password)
    finally:
        workspace.close()
    return password


def wait_for(browser: WebDriver, script: str, what: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 60).until(lambda b: b.execute_script(script), message=what)


def sign_in(browser: WebDriver, url: str, password: str) -> None:
    browser.get(url)
    browser.find_element("id", "email").send_keys(EMAIL)
    browser.find_element("id", "password").send_keys(password)
    browser.find_element("id", "signin-submit").click()
    wait_for(browser, "return !document.getElementById('account').hidden", "signed in")


def load_ms(browser: WebDriver, url: str, *, signed_in: bool) -> float:
    """Navigation start to the load event; signed in, to the saved lists' arrival if later."""
    browser.get(url)
    if signed_in:
        wait_for(browser, f"return {SAVED} !== undefined", "the saved lists")
    wait_for(browser, "return performance.getEntriesByType('navigation')[0].loadEventEnd > 0",
             "the load event")  # fmt: skip
    times = browser.execute_script(LOADED)
    return float(max(times["load"], times["saved"] or 0.0))


def shortlist_ms(browser: WebDriver, brief: str, k: int) -> dict[str, float]:
    timing = browser.execute_async_script(SHORTLIST, brief, k)
    if timing["rows"] != k:
        status = browser.find_element("id", "status").text
        raise RuntimeError(f"expected {k} rows, the page shows {timing['rows']}: {status!r}")
    return {key: float(timing[key]) for key in ("painted", "in_dom", "request")}


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": round(float(np.percentile(values, 50)), 1),
            "p95_ms": round(float(np.percentile(values, 95)), 1)}  # fmt: skip


def measure(browser: WebDriver, url: str, password: str, *, loads: int, shortlists: int,
            ks: tuple[int, ...]) -> dict[str, dict[str, float]]:  # fmt: skip
    rows = {
        "load, first (cold cache), signed out": summary([load_ms(browser, url, signed_in=False)])
    }
    rows["load, signed out"] = summary(
        [load_ms(browser, url, signed_in=False) for _ in range(loads)]
    )
    sign_in(browser, url, password)
    rows["load, signed in, saved lists in"] = summary(
        [load_ms(browser, url, signed_in=True) for _ in range(loads)]
    )
    for k in ks:
        shortlist_ms(browser, BRIEFS[0], k)  # warm-up, not reported
        runs = [shortlist_ms(browser, BRIEFS[i % len(BRIEFS)], k) for i in range(shortlists)]
        rows[f"shortlist k={k}, painted"] = summary([r["painted"] for r in runs])
        rows[f"shortlist k={k}, of which the request"] = summary([r["request"] for r in runs])
    return rows


def print_table(rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{'what':<40} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}  target")
    for what, row in rows.items():
        target = LOAD_TARGET_MS if what.startswith("load") else SHORTLIST_TARGET_MS
        verdict = "" if "of which" in what else f"< {target:.0f} ms: " + (
            "met" if row["p95_ms"] < target else "MISSED")  # fmt: skip
        print(f"{what:<40} {row['n']:>4} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f}  {verdict}")


def main(
    *,
    creators: int,
    loads: int,
    shortlists: int,
    ks: tuple[int, ...],
    home: Path | None,
    seed: int,
    chromium: str | None,
    chromedriver: str | None,
) -> int:
    from creatormatch.core import InvalidInput

    if creators < max(ks):
        raise InvalidInput(f"expected --creators >= the largest --k ({max(ks)}), got {creators}")
    binary = _executable("--chromium", chromium, ("chromium", "chromium-browser"))
    driver = _executable("--chromedriver", chromedriver, ("chromedriver",))
    root = home or Path(tempfile.mkdtemp(prefix="creatormatch-bench-page-"))
    print(f"home {root}: {creators:,} creators (hashing embedder), 1 worker", flush=True)
    build_home(root, creators, seed=seed)
    password, port = make_user(root), _free_port()
    server, started = start_server(root, port, workers=1)
    try:
        _wait_ready(port, server, started)
        browser = open_browser(binary, driver)
        try:
            rows = measure(browser, f"http://127.0.0.1:{port}/", password,
                           loads=loads, shortlists=shortlists, ks=ks)  # fmt: skip
        finally:
            browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(rows)
    print(json.dumps({"bench": "page", "creators": creators, "rows": rows}))
    return 0
