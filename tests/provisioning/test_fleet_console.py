"""The web console in a real browser: Debian's headless Chromium driven by Selenium.

One admin's day: sign in, make a pairing code, approve the kiosk that used it, preview
and push a configuration, lock the kiosk, read the audit log; a technician sees but
cannot change; an idle session ends; forms without the CSRF token and hostile names are
harmless.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from provisioning.agent import Agent
from provisioning.server import accounts
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp

PASSWORD = "correct horse battery"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN")  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def web(browser: WebDriver, sqlite_server: FleetApp) -> Iterator[Any]:
    browser.delete_all_cookies()

    class Web:
        base = sqlite_server.base_url

        def go(self, path: str) -> None:
            browser.get(self.base + path)

        def login(self, user: str = "alice", password: str = PASSWORD) -> None:
            self.go("/console/login")
            browser.find_element(By.NAME, "username").send_keys(user)
            browser.find_element(By.NAME, "password").send_keys(password)
            self.click("#login button")

        def click(self, css: str) -> None:
            """Click something that loads a page, and wait for the new page."""
            browser.execute_script("window.__oldPage = true")  # gone once a new page loads
            browser.find_element(By.CSS_SELECTOR, css).click()
            WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
                lambda b: b.execute_script(
                    "return window.__oldPage === undefined && document.readyState === 'complete'"
                )
            )

        def text(self, css: str) -> str:
            return str(browser.find_element(By.CSS_SELECTOR, css).text)

        def submit(self, form_id: str, button: str = "button[type=submit]") -> None:
            self.click(f"#{form_id} {button}")

    yield Web()
    browser.get("about:blank")


def test_an_admins_day_in_the_console(
    web: Any, browser: WebDriver, sqlite_server: FleetApp, make_agent: Callable[..., Agent],
    tmp_path: Any,
) -> None:  # fmt: skip
    web.login()
    assert browser.title.startswith("设备总览") and "共 0 台" in web.text("#summary")

    web.go("/console/pending")  # a pairing code for a site
    Select(browser.find_element(By.CSS_SELECTOR, "#pairing select")).select_by_value("s-0002")
    web.submit("pairing")
    code = web.text("#code")
    assert web.text("#payload").startswith("bmfleet://enroll?")

    agent = make_agent(validate=lambda _d: None)  # the technician types it on the kiosk
    agent.enroll(sqlite_server.base_url, code, "SN-0007")
    device = agent.key.device_id
    web.go("/console/pending")
    assert "SN-0007" in web.text("#pending")
    web.submit(f"approve-{device}")
    assert f"{device} 已接入 s-0002" in web.text("#flash")

    web.go("/console/")
    assert "从未联系" in web.text("#site-s-0002")
    agent.sync_once(apply=True)
    browser.refresh()
    assert "在线" in web.text("#site-s-0002") and "共 1 台：在线 1" in web.text("#summary")

    web.go("/console/config/330110")  # edit, preview, push
    area = browser.find_element(By.ID, "layer")
    area.clear()
    area.send_keys(json.dumps({"settings": {"session": {"idle_timeout_s": 200}}}))
    web.click("#preview-button")
    preview = web.text("#preview")
    assert "s-0001" in preview and "s-0002" in preview
    assert "settings.session.idle_timeout_s: （默认） → 200" in preview
    web.submit("editor", "button:not(#preview-button)")
    assert web.text("#flash").startswith("已推送第 1 版")
    assert agent.sync_once(apply=True)["applied"] is not None

    web.go(f"/console/devices/{device}")  # lock it with a message
    Select(browser.find_element(By.CSS_SELECTOR, "#command select")).select_by_value("lock")
    browser.find_element(By.CSS_SELECTOR, "#command input[name=message]").send_keys("设备维护中")
    web.submit("command")
    assert "已下发“停止服务”" in web.text("#flash")
    agent.sync_once()
    browser.refresh()
    assert "暂停服务" in web.text("#facts") and "已完成" in web.text("#commands")
    assert agent.service_state() == (False, "设备维护中")
    browser.save_screenshot(str(tmp_path / "device.png"))

    web.go("/console/audit")
    audit = web.text("#audit")
    for action in ("login", "pairing_code", "device_approve", "config_push", "command"):
        assert action in audit


def test_a_technician_sees_but_cannot_change(
    web: Any, browser: WebDriver, sqlite_server: FleetApp, make_agent: Callable[..., Agent],
    accept: Callable[..., Any],
) -> None:  # fmt: skip
    agent = make_agent(validate=lambda _d: None)
    accept(sqlite_server, agent)
    web.login("tom")
    web.go(f"/console/devices/{agent.key.device_id}")
    assert "SN-1" in web.text("#facts")
    assert browser.find_elements(By.ID, "command") == []
    assert browser.find_elements(By.ID, "revoke") == []
    web.go("/console/audit")
    assert "read_only" in web.text("#flash")


def test_an_idle_session_ends_at_the_login_page(web: Any, browser: WebDriver, clock: Any) -> None:
    web.login()
    clock.advance(accounts.IDLE_S + 1)
    web.go("/console/pending")
    assert browser.current_url.endswith("/console/login?expired=1")
    assert "登录已过期" in web.text("#flash")


def test_a_wrong_password_stays_on_the_login_page(web: Any, browser: WebDriver) -> None:
    web.login("alice", "wrong")
    assert "用户名或密码错误" in web.text("#flash")


def test_forms_without_the_csrf_token_change_nothing(sqlite_server: FleetApp) -> None:
    http = requests.Session()
    http.post(sqlite_server.base_url + "/console/login",
              data={"username": "alice", "password": PASSWORD}, timeout=10)  # fmt: skip
    resp = http.post(sqlite_server.base_url + "/console/pairing-code",
                     data={"site_id": "s-0001"}, timeout=10)  # fmt: skip
    assert resp.status_code == 403 and "csrf_failed" in resp.text
    with sqlite_server.db.tx() as tx:
        assert tx.all("SELECT * FROM pairing_codes") == []
    http.close()


def test_hostile_names_are_shown_as_text(
    web: Any, browser: WebDriver, sqlite_server: FleetApp
) -> None:
    sqlite_server.fleet.add_region(cli_actor("t"), "s-x", "<script>alert(1)</script>站",
                                   "site", "330110001")  # fmt: skip
    web.login()
    web.go("/console/config")
    assert "<script>alert(1)</script>站" in web.text("#nodes")
    assert browser.find_elements(By.CSS_SELECTOR, "#nodes script") == []
