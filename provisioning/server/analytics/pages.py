"""The console's analytics pages (统计分析、电子监察), on the console's region tree.

``/console/analytics/{node}``: served per day, matter mix, the funnel of one matter with
where people leave, identity methods, elderly-mode / English / voice and assisted
shares, ratings over time, red and yellow cards, device problems per station (the
node's children; a township's are its stations); drill down to a child, choose the
date range, export the same as a spreadsheet, CSV or JSON. ``…/weekly`` is a printable
week for a county (or any node); ``…/followups`` the 差评 follow-ups with their steps.

Charts are drawn in the browser by ECharts (static/echarts, served from here: offices
often have no internet) and static/analytics.js, which reads the page's chart data
from a JSON script element (the console's Content-Security-Policy allows no inline
script). At site level counts of 1–4 are "<5" on the page and null in the chart data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from kiosk.supervision.followup import FollowUp
from provisioning.server.accounts import Actor
from provisioning.server.analytics import queries, report, supervision
from provisioning.server.analytics.report import FLOW_NAMES
from provisioning.server.console import labels
from provisioning.server.console.gate import back, layout, page_handler
from provisioning.server.console.render import HEADERS, hours, label, num, query, when
from provisioning.server.errors import Invalid, NotFound
from provisioning.server.regions import ancestors, children, get_region, require_within
from provisioning.server.routes import Route
from provisioning.server.wire import HTML_TYPE, Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

HERE = Path(__file__).parent
STATIC = HERE / "static"
CST = dt.timezone(dt.timedelta(hours=8))
QUERY = ("from", "to", "flow", "matter", "pick", "msg")
EXPORTS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
IDENTITY_NAMES = {
    "id_card": "身份证",
    "social_security_card": "社保卡",
    "bank_card": "银行卡",
    "qr_eid": "电子身份证码",
    "face": "人脸识别",
    "agent": "帮办员核验",
    "typed": "手工输入",
}
FEATURE_NAMES = {"elderly": "长辈版", "english": "英文界面", "voice": "语音引导"}
STEP_NAMES = {
    "identity": "身份核验",
    "notice": "告知",
    "form": "填表",
    "materials": "材料",
    "review": "确认",
    "submit": "提交",
    "receipt": "回执",
    "rating": "评价",
    "done": "完成",
    "payment": "缴费",
    "fetch": "获取",
    "certificate": "证照",
    "slots": "选时段",
    "confirm": "确认预约",
    "booking": "预约中",
    "booked": "已预约",
    "guide": "指引",
    "lookup": "查询",
    "scan": "扫码",
    "cases": "办件列表",
    "case": "办件详情",
    "category": "类别",
    "compose": "填写",
    "contact": "联系方式",
    "ticket": "受理单",
    "consent": "授权",
    "problem": "问题",
}
REASON_NAMES = {
    "back": "返回",
    "left": "离开",
    "timeout": "超时",
    "card_removed": "取卡",
    "finished": "退出",
    "cancelled": "取消",
}
FOLLOWUP_STATES = {
    "open": "待分派",
    "assigned": "已分派",
    "called_back": "已回访",
    "rectified": "已整改",
}

_ENV = jinja2.Environment(
    loader=jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(HERE / "templates"),
            jinja2.FileSystemLoader(HERE.parent / "console" / "templates"),
        ]
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(when=when, hours=hours, label=label, num=num)


def keep(params: dict[str, Any]) -> str:
    """The date range carried on a drill-down link ("" when there is none)."""
    return query(params) if params else ""


_ENV.globals.update(
    L=labels,
    query=query,
    keep=keep,
    FLOWS=FLOW_NAMES,
    IDS=IDENTITY_NAMES,
    FEATURES=FEATURE_NAMES,
    STEPS=STEP_NAMES,
    REASONS=REASON_NAMES,
    FSTATES=FOLLOWUP_STATES,
)


def _page(template: str, actor: Actor, req: Request, **context: Any) -> Response:
    """A page for a signed-in admin, from analytics/templates (or the console's)."""
    context = {"error": False, **layout(actor, req), **context}
    html = _ENV.get_template(template).render(**context)
    return Response(200, html.encode("utf-8"), HTML_TYPE, dict(HEADERS))


def _today(app: FleetApp) -> dt.date:
    return dt.datetime.fromtimestamp(app.fleet.clock(), CST).date()


def _span(app: FleetApp, req: Request) -> queries.Span:
    return queries.span(req.query.get("from") or None, req.query.get("to") or None, _today(app))


def _node(app: FleetApp, actor: Actor, node_id: str) -> tuple[dict[str, Any], list[Any], list[Any]]:
    with app.db.read() as tx:
        require_within(tx, node_id, actor.scope)
        node = get_region(tx, node_id)
        chain = [
            r
            for r in ancestors(tx, node_id)
            if actor.scope is None or r["id"] == actor.scope or _within(tx, r["id"], actor.scope)
        ]
        return node, chain, children(tx, node_id)


def _within(tx: Any, node: str, scope: str) -> bool:
    return (
        tx.one(
            "SELECT 1 AS y FROM region_ancestors WHERE node_id = ? AND ancestor_id = ?",
            (node, scope),
        )
        is not None
    )


# ---- pages -------------------------------------------------------------------------------


@page_handler
def start(app: FleetApp, req: Request, actor: Actor) -> Response:
    """The admin's own top: the node they are scoped to, or the first province."""
    if actor.scope is not None:
        return redirect(f"/console/analytics/{actor.scope}")
    with app.db.read() as tx:
        tops = children(tx, None)
    if not tops:
        raise NotFound("there is no region yet", code="unknown_region")
    return redirect(f"/console/analytics/{tops[0]['id']}")


@page_handler
def dashboard(app: FleetApp, req: Request, actor: Actor) -> Response:
    node, chain, kids = _node(app, actor, req.params["node_id"])
    span = _span(app, req)
    site = node["level"] == "site"
    with app.db.read() as tx:
        usage = queries.usage(tx, node["id"], span, site)
        mix = queries.matter_mix(tx, node["id"], span)
        problems = queries.children_problems(tx, [node] if site else kids, span)
        cards = queries.cards(tx, node["id"])
        flow, matter = _funnel_choice(req, mix)
        steps = queries.funnel(tx, node["id"], span, flow, matter) if flow else []
        open_followups = queries.open_followups(tx, node["id"])
    params = {k: v for k, v in req.query.items() if k in ("from", "to") and v}
    charts = _charts(usage, mix, steps, site)
    return _page(
        "analytics.html",
        actor,
        req,
        title=f"统计分析：{node['name']}",
        node=node,
        chain=chain,
        kids=kids,
        span=span,
        usage=usage,
        mix=mix,
        problems=problems,
        cards=cards,
        flow=flow,
        matter=matter,
        steps=steps,
        charts=charts,
        params=params,
        site=site,
        shown=queries.shown,
        share=queries.share,
        followups=open_followups,
    )


def _funnel_choice(req: Request, mix: list[dict[str, Any]]) -> tuple[str, str]:
    flow, matter = req.query.get("flow", ""), req.query.get("matter", "")
    if req.query.get("pick"):  # the page's matter list: "flow|matter"
        flow, _, matter = req.query["pick"].partition("|")
    if flow:
        if flow not in FLOW_NAMES:
            raise Invalid("no such flow", field="flow")
        return flow, matter
    return (mix[0]["flow"], mix[0]["matter"]) if mix else ("", "")


def _charts(
    usage: dict[str, Any], mix: list[dict[str, Any]], steps: list[dict[str, Any]], site: bool
) -> dict[str, Any]:
    """What analytics.js draws (null where a site's count is under 5)."""
    cv = queries.chart_value
    top = mix[:15]
    return {
        "served": {
            "x": usage["per_day"]["days"],
            "series": [{"name": "服务人次", "data": usage["per_day"]["served"]}],
        },
        "matters": {
            "x": [m["name"] or FLOW_NAMES.get(m["flow"], m["flow"]) for m in top],
            "series": [
                {"name": k, "data": [cv(m[key], site) for m in top]}
                for k, key in (
                    ("发起", "started"),
                    ("办结", "completed"),
                    ("中途离开", "abandoned"),
                )
            ],
        },
        "funnel": {
            "x": [STEP_NAMES.get(s["step"], s["step"]) for s in steps],
            "series": [
                {"name": "到达", "data": [cv(s["reached"], site) for s in steps]},
                {"name": "在此离开", "data": [cv(s["abandoned"], site) for s in steps]},
            ],
        },
        "identity": {
            "pie": [
                {"name": IDENTITY_NAMES[i["method"]], "value": cv(i["count"], site)}
                for i in usage["identity"]
            ]
        },
        "ratings": {
            "x": usage["ratings"]["days"],
            "stack": True,
            "series": [
                {"name": f"{lv}星", "data": usage["ratings"]["levels"][lv]}
                for lv in ("1", "2", "3", "4", "5")
            ],
        },
    }


@page_handler
def export(app: FleetApp, req: Request, actor: Actor) -> Response:
    kind = req.query.get("format", "xlsx")
    if kind not in EXPORTS:
        raise Invalid("format is xlsx, csv or json", field="format")
    span = _span(app, req)
    found = report.build(app.db, actor, req.params["node_id"], span)
    if kind == "xlsx":
        body = report.to_xlsx(found)
    elif kind == "csv":
        body = report.to_csv(found)
    else:
        body = json.dumps(report.for_file(found), ensure_ascii=False, indent=1).encode("utf-8")
    name = f"report-{found['region']['id']}-{span.first}-{span.last}.{kind}"
    return Response(
        200,
        body,
        EXPORTS[kind],
        {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@page_handler
def weekly(app: FleetApp, req: Request, actor: Actor) -> Response:
    """A printable week (Monday to Sunday) for a county, or any node."""
    node, chain, _ = _node(app, actor, req.params["node_id"])
    text = req.query.get("week") or ""
    try:
        day = dt.date.fromisoformat(text) if text else _today(app) - dt.timedelta(days=7)
    except ValueError:
        raise Invalid("week is a date in the week, YYYY-MM-DD", field="week") from None
    monday = day - dt.timedelta(days=day.weekday())
    span = queries.Span(monday, monday + dt.timedelta(days=6))
    found = report.build(app.db, actor, node["id"], span)
    return _page(
        "weekly.html",
        actor,
        req,
        title=f"{node['name']} 便民终端周报",
        node=node,
        chain=chain,
        r=found,
        span=span,
        site=found["site_level"],
        shown=queries.shown,
        prev=(monday - dt.timedelta(days=7)).isoformat(),
        next=(monday + dt.timedelta(days=7)).isoformat(),
    )


@page_handler
def followups(app: FleetApp, req: Request, actor: Actor) -> Response:
    node, chain, _ = _node(app, actor, req.params["node_id"])
    with app.db.read() as tx:
        rows = supervision.followups(tx, node["id"])
    today = _today(app)
    for row in rows:  # its own card against the rectification deadline
        card = FollowUp.from_json(row["doc"]).card(today)
        row["card"] = None if card is None else str(card)
    return _page(
        "followups.html",
        actor,
        req,
        title=f"差评回访整改：{node['name']}",
        node=node,
        chain=chain,
        rows=rows,
    )


@page_handler
def followup_step(app: FleetApp, req: Request, actor: Actor) -> Response:
    form = req.form()
    case_no = req.params["case_no"]
    supervision.advance(
        app.db,
        actor,
        case_no,
        form.get("action", ""),
        app.fleet.clock(),
        assignee=form.get("assignee", ""),
        outcome=form.get("outcome", ""),
        note=form.get("note", ""),
    )
    node = form.get("node", "")
    target = f"/console/analytics/{node}/followups" if node else "/console/analytics"
    return back(target, "followup_recorded")  # a message key (console/gate.py NOTICES)


def static(app: FleetApp, req: Request) -> Response:
    """The chart library and the page script (no login needed: they hold no data)."""
    name = req.params["name"]
    path = {
        "echarts.min.js": STATIC / "echarts" / "echarts.min.js",
        "analytics.js": STATIC / "analytics.js",
    }.get(name)
    if path is None:
        raise NotFound("no such file")
    return Response(
        200,
        path.read_bytes(),
        "text/javascript; charset=utf-8",
        {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


_A = "/console/analytics/{node_id}"
_RANGE = ("from", "to", "msg")
ROUTES: tuple[Route, ...] = (
    Route("GET", "/console/analytics", start, "console"),
    Route("GET", _A, dashboard, "console", query=QUERY),
    Route("GET", _A + "/export", export, "console", query=("from", "to", "format")),
    Route("GET", _A + "/weekly", weekly, "console", query=("week", "msg")),
    Route("GET", _A + "/followups", followups, "console", query=("msg",)),
    Route("POST", "/console/followups/{case_no}", followup_step, "console"),
    Route("GET", "/console/static/{name}", static, "console"),
)
