"""Open an exported page in headless Chromium with the network cut off and list what went wrong.

The check a reader without CDN access would make: every chart drawn (an SVG or canvas in its
container), no console error, no request leaving the machine, no dialog opened by the page (text
from a report that ran as a script). Uses Debian's ``chromium`` and ``chromium-driver`` through
selenium with a fixed driver path, so nothing is downloaded.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_HINT = "headless Chromium is needed: apt-get install chromium chromium-driver"

# Chart containers: the exporter's, and altair's own pages (to_html: #vis; notebook HTML: altair-viz-*).
CHART_CONTAINERS = "div.compare-chart, div[id^='altair-viz-'], div#vis"
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "devtools:")
# Records dialogs instead of opening them: an alert() from report text would otherwise block the page.
_RECORD_DIALOGS = """
window.__pageDialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__pageDialogs.push(name + "(" + String(message) + ")"); };
}
"""
_UNDRAWN_CHARTS = f"""
return Array.from(document.querySelectorAll({json.dumps(CHART_CONTAINERS)}))
  .filter((element) => !element.querySelector("svg, canvas"))
  .map((element) => element.id || element.className || element.tagName);
"""


def chromium_available() -> bool:
    """Whether Chromium, its driver and selenium are all installed."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


def render_problems(html: Path, *, timeout_seconds: float = 60.0) -> list[str]:
    """Problems seen when ``html`` is opened offline; empty when every chart is drawn cleanly.

    Waits up to ``timeout_seconds`` for every chart container to hold an SVG or canvas.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--window-size=1400,1000",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _RECORD_DIALOGS})
        driver.get(Path(html).resolve().as_uri())
        undrawn = _wait_for_charts(driver, timeout_seconds)
        problems = [f"chart container {name} has no SVG or canvas after {timeout_seconds:g} s" for name in undrawn]
        dialogs = driver.execute_script("return window.__pageDialogs")
        problems += [f"the page opened a dialog: {dialog}" for dialog in dialogs]
        problems += [f"console error: {entry['message']}"
                     for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        problems += [f"external request: {url}" for url in _requested_urls(driver.get_log("performance"))
                     if not url.startswith(_LOCAL_SCHEMES)]
        return problems
    finally:
        driver.quit()


def _wait_for_charts(driver: WebDriver, timeout_seconds: float) -> list[str]:
    """Containers still without a drawing when all are drawn or the time is up."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        undrawn = driver.execute_script(_UNDRAWN_CHARTS)
        ready = driver.execute_script("return document.readyState") == "complete"
        if (ready and not undrawn) or time.monotonic() > deadline:
            return undrawn
        time.sleep(0.25)


def _requested_urls(performance_log: list[dict]) -> list[str]:
    """URLs the page asked for, from Chromium's performance log (DevTools network events)."""
    urls = []
    for entry in performance_log:
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
