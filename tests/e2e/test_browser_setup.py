"""Without Chromium the browser tests are skipped with the reason, unless CI requires the browser."""

import pytest

from tests.e2e import browser


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "chromium"))


def test_without_chromium_the_browser_tests_are_skipped_with_the_reason(no_chromium, monkeypatch):
    monkeypatch.delenv(browser.REQUIRE_BROWSER, raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browser.chromium_launch_args()


def test_without_chromium_a_run_that_requires_the_browser_fails(no_chromium, monkeypatch):
    monkeypatch.setenv(browser.REQUIRE_BROWSER, "1")

    with pytest.raises(pytest.fail.Exception, match="BACKCARE_REQUIRE_BROWSER=1"):
        browser.chromium_launch_args()


def test_with_chromium_it_is_launched_from_debian_offline():
    options = browser.chromium_launch_args()

    assert options["executable_path"] == "/usr/bin/chromium"
    assert {"--disable-background-networking", "--disable-component-update", "--no-sandbox"} <= set(options["args"])
