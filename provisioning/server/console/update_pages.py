"""Console pages for software updates: the releases, the rollouts, one rollout's waves.

A rollout that halted by itself is an alert: it heads the rollouts page and the region
pages until an admin resumes or aborts it. Each kiosk that failed or rolled back is
listed with the reason and detail it reported (docs/updates.md §3), in its own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from provisioning.server.accounts import Actor
from provisioning.server.console.gate import back, layout, page_handler
from provisioning.server.console.render import page
from provisioning.server.errors import NotFound
from provisioning.server.rollout_service import DEFAULTS
from provisioning.server.wire import Request, Response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp


def _rollout_id(req: Request) -> int:
    text = req.params["rollout_id"]
    if not text.isdigit() or len(text) > 12:
        raise NotFound(f"no rollout {text}", code="unknown_rollout")
    return int(text)


@page_handler
def releases(app: FleetApp, req: Request, actor: Actor) -> Response:
    return page(
        "releases.html", title="软件版本", releases=app.releases.all(), **layout(actor, req)
    )


@page_handler
def rollouts(app: FleetApp, req: Request, actor: Actor) -> Response:
    found = app.rollouts.all(actor)
    halted = [r for r in found if r["status"] == "halted"]
    versions = [r["version"] for r in app.releases.all()]
    return page(
        "rollouts.html",
        title="升级任务",
        rollouts=found,
        halted=halted,
        versions=versions,
        defaults=DEFAULTS,
        **layout(actor, req),
    )


@page_handler
def rollout(app: FleetApp, req: Request, actor: Actor) -> Response:
    found = app.rollouts.status(actor, _rollout_id(req))
    return page("rollout.html", title=f"升级任务 #{found['id']}", r=found, **layout(actor, req))


@page_handler
def start(app: FleetApp, req: Request, actor: Actor) -> Response:
    fields = req.form()
    made = app.rollouts.start(
        actor,
        fields.get("version", ""),
        fields.get("target", "").strip(),
        canary=fields.get("canary", DEFAULTS["canary"]),
        wave=fields.get("wave", DEFAULTS["wave"]),
        max_failures=fields.get("max_failures", DEFAULTS["max_failures"]),
    )
    return back(f"/console/rollouts/{made['id']}", "rollout_started")


def _mover(verb: str, done: str) -> Any:
    @page_handler
    def move(app: FleetApp, req: Request, actor: Actor) -> Response:
        rid = _rollout_id(req)
        app.rollouts.move(actor, rid, verb)
        return back(f"/console/rollouts/{rid}", done)

    move.__name__ = verb
    return move


pause = _mover("pause", "rollout_paused")  # message keys (console/gate.py NOTICES)
resume = _mover("resume", "rollout_resumed")
abort = _mover("abort", "rollout_aborted")
