"""Admin accounts, sessions, roles, region scopes and the audit log, on SQLite and
PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from provisioning.server import accounts
from provisioning.server.app import FleetApp
from provisioning.server.db import open_database
from provisioning.server.migrations import MIGRATIONS, migrate, schema_version


def test_migrations_run_once_and_leave_the_same_schema(server: FleetApp) -> None:
    assert schema_version(server.db) == len(MIGRATIONS)
    assert migrate(server.db) == []  # a second start applies nothing
    with server.db.tx() as tx:
        assert tx.one("SELECT value FROM counters WHERE name = 'bundle_version'") == {"value": 0}


def test_a_failed_transaction_leaves_nothing(server: FleetApp) -> None:
    with pytest.raises(RuntimeError), server.db.tx() as tx:
        tx.run("INSERT INTO audit_log (at, actor, action, target, detail, ip)"
               " VALUES (1, 'x', 'probe', 't', '{}', '')")  # fmt: skip
        raise RuntimeError("boom")
    with server.db.tx() as tx:
        assert tx.all("SELECT * FROM audit_log WHERE action = 'probe'") == []


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = accounts.hash_password("s3cret-pass"), accounts.hash_password("s3cret-pass")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert accounts.check_password("s3cret-pass", first)
    assert not accounts.check_password("s3cret-Pass", first)
    assert not accounts.check_password("s3cret-pass", "garbage")


def test_login_gives_a_session_that_expires_when_idle(
    server: FleetApp, admin_api: Callable[[str], Any], clock: Any
) -> None:
    api = admin_api("alice")
    assert api.call("GET", "/v1/admin/regions")[0] == 200
    clock.advance(accounts.IDLE_S + 1)
    status, body = api.call("GET", "/v1/admin/regions")
    assert (status, body["code"]) == (401, "session_expired")


def test_a_busy_session_still_ends_after_twelve_hours(
    server: FleetApp, admin_api: Callable[[str], Any], clock: Any
) -> None:
    api = admin_api("alice")
    for _ in range(int(accounts.ABSOLUTE_S // (20 * 60))):
        clock.advance(20 * 60)
        if api.call("GET", "/v1/admin/regions")[0] != 200:
            break
    assert api.call("GET", "/v1/admin/regions")[1]["code"] == "session_expired"


def test_wrong_passwords_are_refused_and_audited(server: FleetApp) -> None:
    import requests

    resp = requests.post(server.base_url + "/v1/admin/login",
                         json={"username": "alice", "password": "nope"}, timeout=10)  # fmt: skip
    assert (resp.status_code, resp.json()["code"]) == (401, "login_failed")
    resp = requests.post(server.base_url + "/v1/admin/login",
                         json={"username": "nobody", "password": "nope"}, timeout=10)  # fmt: skip
    assert resp.json()["code"] == "login_failed"  # unknown users look the same
    with server.db.tx() as tx:
        failed = tx.all("SELECT actor FROM audit_log WHERE action = 'login_failed'")
    assert [r["actor"] for r in failed] == ["alice", "nobody"]


def test_technicians_read_but_cannot_change_anything(
    server: FleetApp, admin_api: Callable[[str], Any]
) -> None:
    tom = admin_api("tom")
    assert tom.call("GET", "/v1/admin/devices")[0] == 200
    status, body = tom.call("POST", "/v1/admin/pairing-codes", {"site_id": "s-0001"})
    assert (status, body["code"]) == (403, "read_only")
    status, body = tom.call("GET", "/v1/admin/audit")
    assert (status, body["code"]) == (403, "read_only")


def test_county_admins_act_only_inside_their_county(
    server: FleetApp, admin_api: Callable[[str], Any]
) -> None:
    bob = admin_api("bob")
    assert bob.call("POST", "/v1/admin/pairing-codes", {"site_id": "s-0001"})[0] == 201
    status, body = bob.call("POST", "/v1/admin/pairing-codes", {"site_id": "s-0101"})
    assert (status, body["code"]) == (403, "outside_scope")
    regions = {r["id"] for r in bob.call("GET", "/v1/admin/regions")[1]["regions"]}
    assert regions == {"330110", "330110001", "s-0001", "s-0002"}
    status, body = bob.call("POST", "/v1/admin/admins", {
        "username": "eve", "password": "long enough pw", "role": "province_admin"})  # fmt: skip
    assert (status, body["code"]) == (403, "province_only")


def test_province_admin_adds_admins_with_checked_fields(
    server: FleetApp, admin_api: Callable[[str], Any]
) -> None:
    alice = admin_api("alice")
    status, body = alice.call(
        "POST",
        "/v1/admin/admins",
        {"username": "carol", "password": "short", "role": "county_admin", "scope": "330122"},
    )
    assert (status, body["field"]) == (422, "password")
    status, body = alice.call(
        "POST",
        "/v1/admin/admins",
        {"username": "carol", "password": "long enough pw", "role": "county_admin"},
    )
    assert (status, body["field"]) == (422, "scope")
    status, _ = alice.call("POST", "/v1/admin/admins", {
        "username": "carol", "password": "long enough pw", "role": "county_admin",
        "scope": "330122"})  # fmt: skip
    assert status == 201
    carol = admin_api("carol", "long enough pw")
    assert carol.call("POST", "/v1/admin/pairing-codes", {"site_id": "s-0101"})[0] == 201


def test_every_admin_action_is_in_the_audit_log(
    server: FleetApp, admin_api: Callable[[str], Any]
) -> None:
    alice = admin_api("alice")
    alice.call(
        "POST",
        "/v1/admin/regions",
        {"id": "s-0003", "name": "新站", "level": "site", "parent_id": "330110001"},
    )
    alice.call("POST", "/v1/admin/pairing-codes", {"site_id": "s-0003", "uses": 2})
    alice.call("PUT", "/v1/admin/config/33", {"branding": {"title": "浙里办"}})
    alice.call("POST", "/v1/admin/logout")
    with server.db.tx() as tx:
        rows = tx.all("SELECT actor, action, target FROM audit_log ORDER BY id")
    mine = [(r["action"], r["target"]) for r in rows if r["actor"] == "alice"]
    assert mine == [("login", "alice"), ("region_add", "s-0003"), ("pairing_code", "s-0003"),
                    ("config_push", "33"), ("logout", "alice")]  # fmt: skip
    cli = [r["action"] for r in rows if r["actor"] == "cli:test"]
    assert cli.count("region_add") == 8 and cli.count("admin_add") == 3


def test_bad_regions_are_refused_with_the_field(
    server: FleetApp, admin_api: Callable[[str], Any]
) -> None:
    alice = admin_api("alice")
    cases = [
        ({"id": "x/y", "name": "n", "level": "site", "parent_id": "330110001"}, "id"),
        ({"id": "s-9", "name": "n", "level": "village", "parent_id": "330110001"}, "level"),
        ({"id": "s-9", "name": "n", "level": "county", "parent_id": "330110001"}, "parent_id"),
    ]
    for body, field in cases:
        status, answer = alice.call("POST", "/v1/admin/regions", body)
        assert (status, answer["field"]) == (422, field)
    status, answer = alice.call("POST", "/v1/admin/regions",
                                {"id": "s-0001", "name": "dup", "level": "site",
                                 "parent_id": "330110001"})  # fmt: skip
    assert (status, answer["code"]) == (409, "region_exists")


def test_sqlite_is_the_default_and_a_bad_url_fails_clearly(tmp_path: Any) -> None:
    db = open_database(str(tmp_path / "f.sqlite3"))
    assert db.dialect == "sqlite"
    db.close()
    from provisioning.server.db import DatabaseError

    with pytest.raises(DatabaseError, match="cannot connect"):
        open_database("postgresql://nobody@127.0.0.1:1/none")


def test_the_device_list_comes_a_page_at_a_time(
    server: FleetApp, admin_api: Callable[..., Any]
) -> None:
    now = server.fleet.clock()
    with server.db.tx() as tx:
        tx.many(
            "INSERT INTO devices (id, public_key, serial, status, site_id, requested_site,"
            " software_version, enrolled_at) VALUES (?,?,?,'accepted',?,?,'0.1.0',?)",
            [(f"dev-{i:016x}", f"k{i}", f"SN-{i}", site, site, now + i)
             for i, site in enumerate(["s-0001", "s-0002", "s-0101", "s-0001"])],
        )  # fmt: skip
    alice, bob = admin_api("alice"), admin_api("bob")
    status, first = alice.call("GET", "/v1/admin/devices?limit=3")
    assert status == 200 and first["total"] == 4 and len(first["devices"]) == 3
    rest = alice.call("GET", "/v1/admin/devices?limit=3&offset=3")[1]
    assert [d["serial"] for d in first["devices"] + rest["devices"]] == [
        "SN-0", "SN-1", "SN-2", "SN-3"]  # fmt: skip
    site = alice.call("GET", "/v1/admin/devices?region=s-0001")[1]
    assert [d["serial"] for d in site["devices"]] == ["SN-0", "SN-3"]
    assert bob.call("GET", "/v1/admin/devices")[1]["total"] == 3  # his county only
    assert alice.call("GET", "/v1/admin/devices?limit=0")[0] == 422
