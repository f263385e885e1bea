"""The console's words: every code the fleet stores, as the Chinese an admin reads.

Codes stay codes in the database, the API and the audit log; the console shows them
through these tables (and the code itself only where an admin may need to search it).
A code without an entry shows as itself, so a new one is visible rather than hidden.
"""

from __future__ import annotations

from provisioning.server.accounts import ROLE_NAMES
from provisioning.server.commands import KINDS
from provisioning.server.health import ALERTS, DEVICE_STATES, PERIPHERALS
from provisioning.server.rollouts import STATES as UPDATE_ORDER  # the columns' order

#: a kiosk's, a command's or a rollout's status, or connectivity: (label, badge tone)
STATUS = {
    "online": ("在线", "ok"),
    "offline": ("离线", "bad"),
    "never": ("从未联系", "warn"),
    "pending": ("待审批", "warn"),
    "rejected": ("已拒绝", "bad"),
    "revoked": ("已停用", "bad"),
    "accepted": ("已接入", "ok"),
    "delivered": ("已下发", "warn"),
    "done": ("已完成", "ok"),
    "failed": ("失败", "bad"),
    "cancelled": ("已取消", "bad"),
    "running": ("进行中", "ok"),  # a rollout's, from here on
    "paused": ("已暂停", "warn"),
    "halted": ("已自动停止", "bad"),
    "aborted": ("已取消", "warn"),
    "finished": ("已完成", "ok"),
}
LEVELS = {"province": "省", "county": "县（区）", "township": "乡镇（街道）", "site": "站点"}
CHILD_LEVEL = {None: "省", "province": "县（区）", "county": "乡镇（街道）", "township": "站点"}
PAPER = {"full": "充足", "low": "偏少", "out": "用完", "unknown": "未报告", "": "未报告"}
SUPPLIES = {"paper": "打印纸", "full": "充足", "low": "偏少", "out": "用完", "unknown": "未知"}
COUNTS = {
    "total": "终端总数",
    "online": "在线",
    "offline": "离线",
    "never": "从未联系",
    "alerting": "有告警",
    "out_of_service": "暂停服务",
    "stale": "配置未更新",
}
CONFIG = {"stale": "配置未更新到最新版本", "error": "配置无法应用"}
SORTS = {
    "device": "设备编号",
    "serial": "序列号",
    "site": "站点",
    "version": "软件版本",
    "last_seen": "最后联系",
}
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "admin_add": "添加管理员",
    "region_add": "添加区域",
    "pairing_code": "生成配对码",
    "preauthorize": "预授权",
    "device_approve": "接入终端",
    "device_reject": "拒绝终端",
    "device_revoke": "停用终端",
    "config_push": "推送配置",
    "command": "下发命令",
    "kiosk.maintenance_entered": "终端：进入维护",
    "kiosk.maintenance_left": "终端：退出维护",
    "kiosk.maintenance_pin_failed": "终端：维护密码错误",
    "kiosk.maintenance_locked": "终端：维护入口锁定",
    "release_add": "添加软件版本",
    "release_downgrade": "允许降级",
    "release_key_rotated": "更换签名密钥",
    "rollout_start": "开始升级任务",
    "rollout_pause": "暂停升级",
    "rollout_resume": "继续升级",
    "rollout_abort": "取消升级",
    "rollout_halted": "升级自动停止",
    "rollout_finished": "升级完成",
}
#: a kiosk's part in a rollout (rollouts.STATES)
UPDATE_STATES = {
    "pending": "未开始",
    "offered": "已下发",
    "downloading": "下载中",
    "installed": "已安装",
    "committed": "已完成",
    "rolled_back": "已回退",
    "failed": "失败",
    "withdrawn": "已撤回",
}
ERRORS = {
    "outside_scope": "超出您的管辖范围",
    "read_only": "技术员账号只能查看，不能修改",
    "province_only": "只有省级管理员可以这样做",
    "csrf_failed": "表单已过期，请刷新页面后重试",
    "bad_transition": "终端当前的状态不允许这个操作",
    "unknown_device": "没有这台终端",
    "unknown_region": "没有这个区域",
    "invalid_field": "填写的内容不正确",
    "unknown_release": "没有这个软件版本",
    "tampered_release": "软件包与清单不符（可能被篡改或不完整）",
    "bad_release": "不是有效的软件版本目录",
    "release_exists": "这个软件版本已经添加过",
    "rollout_under_way": "该区域还有进行中的升级任务",
    "unknown_rollout": "没有这个升级任务",
    "region_exists": "区域编号已存在",
    "admin_exists": "用户名已存在",
    "command_id_reused": "命令编号已被另一条命令使用",
    "not_found": "没有这个页面",
    "malformed_json": "不是合法的 JSON",
    "database_busy": "系统繁忙，请稍后再试",
    "internal_error": "服务器出错了",
    "malformed_form": "表单内容无法读取",
}

__all__ = [
    "ACTIONS",
    "ALERTS",
    "CHILD_LEVEL",
    "CONFIG",
    "COUNTS",
    "DEVICE_STATES",
    "ERRORS",
    "KINDS",
    "LEVELS",
    "PAPER",
    "PERIPHERALS",
    "ROLE_NAMES",
    "SORTS",
    "STATUS",
    "SUPPLIES",
    "UPDATE_ORDER",
    "UPDATE_STATES",
]
