"""Size of the HTML report and how long it takes to open in a real browser.

    python benchmarks/bench_report.py [--repeats 5] [--seeds 3]

For the 30 issues x 4 options x 5 parties scenarios (`accord generate`'s random scenarios,
seeds 0..) and the shipped ukraine-2025: the time to analyse and to write the report
(in this process, the Vega bundle made once beforehand), the file's size, and the time
Debian's Chromium (/usr/bin/chromium, headless, driven by Playwright) takes from
navigating to the file until every figure is drawn (the page sets body[data-figures=done]),
in a new page each time: the median and the worst of `repeats` openings. Targets of
issue 5: under 2 s to open, under 5 MB. Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import accord
from accord.analysis import FrontierRequest
from accord.model.synthetic import random_scenario
from accord.report.content import build_content
from accord.report.html import vega_bundle, write_html

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def write_report(scenario: accord.Scenario, folder: Path) -> tuple[Path, float, float]:
    """The report's path, the analysis seconds and the report-writing seconds."""
    started = time.perf_counter()
    analysis = accord.analyze(scenario, frontier=FrontierRequest())
    analysed = time.perf_counter()
    path = write_html(build_content(analysis), folder / f"{scenario.id}.html")
    return path, analysed - started, time.perf_counter() - analysed


def open_times(browser, path: Path, repeats: int) -> list[float]:
    """Seconds from navigation to every figure drawn, one new page per opening."""
    times = []
    for _ in range(repeats):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-figures=done]", timeout=60_000)
        times.append(time.perf_counter() - started)
        failed = page.eval_on_selector_all("[data-figure]", "els => els.filter("
                                           "e => e.dataset.rendered !== 'true').length")
        if errors or failed:
            raise SystemExit(f"{path.name}: {failed} figure(s) not drawn; errors: {errors}")
        page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run tools/ensure-chromium.sh")
    vega_bundle()  # made once per process; not part of any one report's time
    scenarios = [random_scenario(30, 4, 5, seed=s) for s in range(args.seeds)]
    scenarios.append(accord.load("ukraine-2025"))
    print(f"{'scenario':<22} {'analyse s':>9} {'write s':>8} {'size MB':>8} "
          f"{'open median s':>14} {'open worst s':>13}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        open_times(browser, write_report(scenarios[-1], Path(folder))[0], 1)  # warm-up
        for scenario in scenarios:
            path, analysed, written = write_report(scenario, Path(folder))
            times = open_times(browser, path, args.repeats)
            print(f"{scenario.id:<22} {analysed:>9.2f} {written:>8.2f} "
                  f"{path.stat().st_size / 1e6:>8.2f} {statistics.median(times):>14.2f} "
                  f"{max(times):>13.2f}")
        browser.close()
    print("targets: open < 2 s, size < 5 MB (sizes in 10^6 bytes)")


if __name__ == "__main__":
    main()
