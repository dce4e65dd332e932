"""The HTML catalog in a real headless chromium: it renders, and the search box filters features.

Needs Debian's chromium and chromium-driver (``.ci/run`` installs them); skipped with that reason
when absent on a developer machine; CI sets FEATSQL_REQUIRE_BROWSER=1, which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from test_catalog import People

from featsql.catalog import to_html

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM or not DRIVER:
        reason = "chromium / chromedriver not installed (apt-get install -y chromium chromium-driver)"
        if os.environ.get("FEATSQL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FEATSQL_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the dev extra")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="featsql-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def visible_features(driver: object) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "tr.feature")  # type: ignore[attr-defined]
    return [row.find_element(By.CSS_SELECTOR, "td.name code").text for row in rows if row.is_displayed()]


def test_catalog_renders_and_search_filters(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "catalog.html"
    page.write_text(to_html([People.ir()], title="People catalog"), encoding="utf-8")
    driver = browser
    driver.get(page.as_uri())  # type: ignore[attr-defined]
    assert driver.title == "People catalog"  # type: ignore[attr-defined]
    assert visible_features(driver) == [
        "person_id",
        "fare",
        "sibsp",
        "name",
        "family",
        "fare_pp",
        "expensive",
    ]
    heading = driver.find_element(By.CSS_SELECTOR, "section.view h2")  # type: ignore[attr-defined]
    assert heading.text == "people" and heading.is_displayed()

    search = driver.find_element(By.ID, "search")  # type: ignore[attr-defined]
    search.send_keys("money")
    assert visible_features(driver) == ["fare", "fare_pp"]  # by tag
    assert driver.find_element(By.ID, "stats").text == "2 of 7 features"  # type: ignore[attr-defined]

    search.clear()
    search.send_keys("SibSp")  # a source column: lineage is searchable
    assert visible_features(driver) == ["sibsp", "family", "fare_pp", "expensive"]

    search.clear()
    search.send_keys("no such thing")
    assert visible_features(driver) == []
    assert driver.find_element(By.ID, "empty").is_displayed()  # type: ignore[attr-defined]
    assert not heading.is_displayed()

    search.clear()
    search.send_keys(" ")
    assert len(visible_features(driver)) == 7
