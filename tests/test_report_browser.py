"""The report of the shipped scenario, opened in a real headless browser.

Debian's Chromium (/usr/bin/chromium, installed by `tools/ensure-chromium.sh`, which
`make test` runs) driven by Playwright; never a browser download of Playwright's own. The
test checks that the page logs no error, that every figure is drawn, that it works at a
phone's width, and saves screenshots under test-output/report-browser/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import accord
from accord.analysis import FrontierRequest
from accord.report.content import build_content
from accord.report.html import write_html

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "report-browser"
WIDTHS = {"desktop": 1280, "phone": 390}


def _require_browser():
    """The sync Playwright module, or a skip (a failure in CI) saying what is missing."""
    missing = None
    if not CHROMIUM.exists():
        missing = (f"{CHROMIUM} is missing: run tools/ensure-chromium.sh (or `make test`), "
                   "which installs Debian's chromium")
    try:
        from playwright import sync_api
    except ImportError:
        missing = "playwright is not installed: pip install -e '.[test]'"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)
    return sync_api


@pytest.fixture(scope="module")
def report_file() -> Path:
    """The page, written whole then moved into place (test workers may write it at once)."""
    analysis = accord.analyze(accord.load("ukraine-2025"), frontier=FrontierRequest())
    path = OUTPUT / "ukraine-2025.html"
    draft = write_html(build_content(analysis), OUTPUT / f".ukraine-2025-{os.getpid()}.html")
    os.replace(draft, path)
    return path


@pytest.fixture(scope="module")
def browser():
    sync_api = _require_browser()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda r: problems.append(f"network request: {r.url}")
            if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-figures=done]", timeout=30_000)
    return page, problems


DRAWN = """els => els.map(e => {
  const svg = e.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: e.id, rendered: e.dataset.rendered, width: box.width, height: box.height,
          marks: svg ? svg.querySelectorAll('.role-mark path, .role-mark text, .role-mark line').length : 0};
})"""


@pytest.mark.parametrize("device", list(WIDTHS))
def test_report_renders_in_a_real_browser(browser, report_file, device):
    page, problems = _open(browser, report_file, WIDTHS[device])
    figures = page.eval_on_selector_all("[data-figure]", DRAWN)
    assert len(figures) == 10  # heat map, six pairs, parallel coordinates, drafts, forecast
    for figure in figures:
        assert figure["rendered"] == "true", figure
        assert figure["width"] > 100 and figure["height"] > 100, figure
        assert figure["marks"] > 10, figure
    page.screenshot(path=str(OUTPUT / f"top-{device}.png"))
    page.locator("#frontier").screenshot(path=str(OUTPUT / f"frontier-{device}.png"))
    page.locator("#stances").screenshot(path=str(OUTPUT / f"stances-{device}.png"))
    if device == "phone":  # nothing wider than the screen: tables and charts fit or scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[device]
    assert problems == []
    page.close()


def test_heat_map_menu_shows_another_package(browser, report_file):
    page, problems = _open(browser, report_file, WIDTHS["desktop"])
    heading = "#fig-stances svg .role-title-text"
    assert "D1:" in page.locator(heading).text_content()
    page.select_option("#fig-stances select", "N")
    page.wait_for_function(
        f"document.querySelector('{heading}').textContent.includes('N: Nash')")
    assert page.locator("#fig-stances svg .role-mark path").count() > 0
    assert problems == []
    page.close()


def test_figures_carry_text_alternatives(browser, report_file):
    page, _ = _open(browser, report_file, WIDTHS["desktop"])
    labels = page.eval_on_selector_all("[data-figure]", "els => els.map(e => e.getAttribute("
                                                        "'aria-label') || '')")
    assert all(len(label) > 60 for label in labels), [x for x in labels if len(x) <= 60]
    described = page.eval_on_selector_all(  # Vega labels each point for screen readers
        ".pairs [data-figure]", "els => els.map(e => e.querySelectorAll("
                                "'.role-mark [aria-label]').length)")
    assert all(count > 0 for count in described)
    page.close()
