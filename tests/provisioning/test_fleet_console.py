"""The web console in a real browser: Debian's headless Chromium driven by Selenium.

One admin's day: sign in, make a pairing code, approve the kiosk that used it, preview
and push a configuration, lock the kiosk, read the audit log. A province of kiosks:
drill down province → county → township → site with the counts at every level, filter,
search, sort and page the device lists. A technician sees but cannot change; an idle
session ends; forms without the CSRF token and hostile names are harmless.
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

from devices.status import DeviceState, DeviceStatus, SupplyLevel
from provisioning.agent import Agent, health_from
from provisioning.server import accounts
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.console import labels

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
    driver = browser

    class Web:
        base = sqlite_server.base_url
        browser = driver

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
    assert browser.title.startswith("浙江省") and "共 0 台" in web.text("#summary")

    web.go("/console/pending")  # a pairing code for a site
    browser.find_element(By.CSS_SELECTOR, "#pairing input[name=site_id]").send_keys("s-0002")
    web.submit("pairing")
    code = web.text("#code")
    assert web.text("#payload").startswith("bmfleet://enroll?")

    printer = {"printer": DeviceStatus(DeviceState.ONLINE, supplies={"paper": SupplyLevel.FULL})}
    agent = make_agent(validate=lambda _d: None, probe=lambda: health_from(printer, 0, None))
    agent.enroll(sqlite_server.base_url, code, "SN-0007")  # the technician typed the code
    device = agent.key.device_id
    web.go("/console/pending")
    assert "SN-0007" in web.text("#pending")
    web.submit(f"approve-{device}")
    assert f"{device} 已接入 s-0002" in web.text("#flash")

    web.go("/console/devices?region=s-0002")
    assert "从未联系" in web.text(f"tr[data-device='{device}']")
    agent.sync_once(apply=True)
    browser.refresh()
    assert "在线" in web.text(f"tr[data-device='{device}']")
    web.go("/console/")
    assert "共 1 台：在线 1" in web.text("#summary")

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
    web.go("/console/")
    assert "配置未更新 1 台" in web.text("#summary")  # until the kiosk fetches it
    assert agent.sync_once(apply=True)["applied"] is not None
    agent.sync_once()  # the next heartbeat reports the version it applied
    browser.refresh()
    assert "配置未更新 0 台" in web.text("#summary")

    web.go(f"/console/devices/{device}")  # lock it with a message
    assert "充足" in web.text("#facts")  # the paper state, in Chinese
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
    for action in ("登录", "生成配对码", "接入终端", "推送配置", "下发命令"):
        assert action in audit


# ---- a province of kiosks ------------------------------------------------------------------


def add_kiosks(app: FleetApp, site: str, count: int, start: int, **row: Any) -> list[str]:
    """``count`` accepted kiosks in ``site``, written straight into the database."""
    now = app.fleet.clock()
    values = {"last_seen": now - 60, "software_version": "0.1.0", "in_service": 1} | row
    made = [f"dev-{start + i:016x}" for i in range(count)]
    with app.db.tx() as tx:
        tx.many(
            "INSERT INTO devices (id, public_key, serial, status, site_id, requested_site,"
            " software_version, enrolled_at, last_seen, in_service)"
            " VALUES (?,?,?,'accepted',?,?,?,?,?,?)",
            [(d, f"key-{d}", f"SN-{start + i:05d}", site, site, values["software_version"],
              now - 86400, values["last_seen"], values["in_service"])
             for i, d in enumerate(made)],
        )  # fmt: skip
    return made


@pytest.fixture
def province(sqlite_server: FleetApp) -> FleetApp:
    """120 kiosks: s-0001 110 (100 online, 7 offline, 3 never seen; 4 on 0.2.0, 2 out of
    service), s-0002 5 online, s-0101 (another county) 5 online; 3 with paper out."""
    app, hour = sqlite_server, 3600.0
    now = app.fleet.clock()
    add_kiosks(app, "s-0001", 94, 0)
    add_kiosks(app, "s-0001", 4, 94, software_version="0.2.0")
    add_kiosks(app, "s-0001", 2, 98, in_service=0)
    add_kiosks(app, "s-0001", 7, 100, last_seen=now - 2 * hour)
    add_kiosks(app, "s-0001", 3, 107, last_seen=None)
    add_kiosks(app, "s-0002", 5, 110)
    add_kiosks(app, "s-0101", 5, 115)
    with app.db.tx() as tx:
        tx.many(
            "INSERT INTO alerts (device_id, kind, detail, opened_at) VALUES (?,?,?,?)",
            [(f"dev-{i:016x}", "paper_out", "缺纸", now) for i in (3, 111, 116)],
        )
    return app


def counts(web: Any, region: str) -> dict[str, str]:
    cells = web.browser.find_elements(By.CSS_SELECTOR, f"#children tr[data-region='{region}'] td")
    return dict(zip(["name", *labels.COUNTS], [c.text for c in cells], strict=True))


def test_drilling_down_from_the_province_to_a_site(web: Any, province: FleetApp) -> None:
    web.login()
    assert "共 120 台：在线 110，离线 7，从未联系 3；有告警 3 台，暂停服务 2 台" in web.text(
        "#summary")  # fmt: skip
    assert counts(web, "330110") == {
        "name": "余杭区 330110", "total": "115", "online": "105", "offline": "7", "never": "3",
        "alerting": "2", "out_of_service": "2", "stale": "0",
    }  # fmt: skip
    assert counts(web, "330122")["total"] == "5"
    assert "0.1.0" in web.text("#versions") and "0.2.0" in web.text("#versions")
    web.click("#children tr[data-region='330110'] a")  # county
    assert web.text("#crumbs").endswith("余杭区") and "共 115 台" in web.text("#summary")
    web.click("#children tr[data-region='330110001'] a")  # township
    assert counts(web, "s-0002")["total"] == "5"
    web.click("#children tr[data-region='s-0001'] a")  # site
    assert web.text("#crumbs") == "全部 › 浙江省 › 余杭区 › 仓前街道 › 仓前村便民服务站"
    assert "共 110 台：在线 100，离线 7，从未联系 3" in web.text("#summary")
    assert web.browser.find_elements(By.ID, "children") == []
    web.click("#all-devices")
    assert web.text("#count") == "共 110 台，第 1 / 3 页"


def rows(web: Any) -> list[str]:
    found = web.browser.find_elements(By.CSS_SELECTOR, "#devices tbody tr[data-device]")
    return [r.get_attribute("data-device") for r in found]


def test_device_lists_are_paged_filtered_searched_and_sorted(
    web: Any, browser: WebDriver, province: FleetApp
) -> None:
    web.login()
    web.go("/console/devices")
    assert web.text("#count") == "共 120 台，第 1 / 3 页"
    first = rows(web)
    assert len(first) == 50 and first[0] == f"dev-{0:016x}"
    web.click("#next")
    assert web.text("#count") == "共 120 台，第 2 / 3 页" and rows(web)[0] == f"dev-{50:016x}"
    web.click("#last")
    assert len(rows(web)) == 20 and browser.find_elements(By.ID, "next") == []
    web.click("#first")
    assert rows(web) == first

    Select(browser.find_element(By.NAME, "health")).select_by_value("offline")  # filters
    web.click("#apply")
    assert web.text("#count") == "共 7 台，第 1 / 1 页"
    assert all("离线" in web.text(f"tr[data-device='{d}']") for d in rows(web))
    Select(browser.find_element(By.NAME, "health")).select_by_value("")
    Select(browser.find_element(By.NAME, "alert")).select_by_value("paper_out")
    web.click("#apply")
    assert sorted(rows(web)) == [f"dev-{i:016x}" for i in (3, 111, 116)]
    Select(browser.find_element(By.NAME, "alert")).select_by_value("")
    Select(browser.find_element(By.NAME, "version")).select_by_value("0.2.0")
    web.click("#apply")
    assert web.text("#count").startswith("共 4 台")
    Select(browser.find_element(By.NAME, "version")).select_by_value("")
    browser.find_element(By.NAME, "service").click()
    web.click("#apply")
    assert web.text("#count").startswith("共 2 台")

    web.go("/console/devices")  # search, by serial and by device id
    browser.find_element(By.NAME, "q").send_keys("sn-0011")
    web.click("#apply")
    assert len(rows(web)) == 10 and web.text("#count").startswith("共 10 台")
    search = browser.find_element(By.NAME, "q")
    search.clear()
    search.send_keys(f"{117:016x}")
    web.click("#apply")
    assert rows(web) == [f"dev-{117:016x}"]

    web.go("/console/devices")  # sorted by a column, both ways
    web.click("#devices thead a[href*='sort=serial']")
    assert rows(web)[0] == f"dev-{0:016x}"
    web.click("#devices thead a[href*='sort=serial']")
    assert rows(web)[0] == f"dev-{119:016x}" and "order=desc" in browser.current_url
    web.go("/console/devices?sort=last_seen")  # the longest silent first
    assert rows(web)[:3] == [f"dev-{i:016x}" for i in (107, 108, 109)]


def test_a_county_admin_sees_only_the_county(web: Any, province: FleetApp) -> None:
    web.login("bob")
    assert web.browser.title.startswith("余杭区") and "共 115 台" in web.text("#summary")
    web.go("/console/devices")
    assert web.text("#count").startswith("共 115 台")
    web.go("/console/regions/330122")
    assert "outside_scope" in web.text("#flash") and "超出您的管辖范围" in web.text("#flash")


def test_bad_filters_are_explained_not_crashed(web: Any, province: FleetApp) -> None:
    web.login()
    web.go("/console/devices?health=sideways")
    assert "填写的内容不正确：health" in web.text("#flash")
    web.go("/console/devices?page=99")  # past the end: the last page
    assert web.text("#count") == "共 120 台，第 3 / 3 页"


def test_a_technician_sees_but_cannot_change(
    web: Any, browser: WebDriver, sqlite_server: FleetApp, make_agent: Callable[..., Agent],
    accept: Callable[..., Any],
) -> None:  # fmt: skip
    agent = make_agent(validate=lambda _d: None)
    accept(sqlite_server, agent)
    web.login("tom")
    web.go(f"/console/devices/{agent.key.device_id}")
    assert "SN-1" in web.text("#facts")
    assert "未报告" in web.text("#facts")  # no heartbeat yet: the paper state is unknown
    assert browser.find_elements(By.ID, "command") == []
    assert browser.find_elements(By.ID, "revoke") == []
    web.go("/console/audit")
    assert "read_only" in web.text("#flash") and "只能查看" in web.text("#flash")


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
    web.go("/console/config/330110001")
    assert "<script>alert(1)</script>站" in web.text("#nodes")
    assert browser.find_elements(By.CSS_SELECTOR, "#nodes script") == []
    web.go("/console/regions/330110001")
    assert "<script>alert(1)</script>站" in web.text("#children")
    assert browser.find_elements(By.CSS_SELECTOR, "#children script") == []
