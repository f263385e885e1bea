"""Access tokens for cases and appointments this kiosk did not file (openapi.yaml,
"Who may see what").

The platform shows a case or an appointment only to the device that filed it, or to one
that sends its access token as ``X-Access-Token``. A kiosk learns a token when the
platform hands one out: in the answer that creates the case or appointment, and in an
applicant's own search, which the kiosk makes only after reading the citizen's card.
The client keeps the tokens it learned (a bounded number, in memory only) and sends the
right one with each request about that case or appointment.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

HEADER = "X-Access-Token"
MAX_KEPT = 2000
_CASE_PATH = re.compile(r"^/v1/cases/([^/?]+)(?:/certificate)?$")
_APPOINTMENT_PATH = re.compile(r"^/v1/appointments/([^/?]+)$")
_NOT_IDS = {"search", "slots"}


class AccessTokens:
    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self._tokens: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._max = max_kept

    def learn(self, answer: Any) -> None:
        """Keep every token an answer carries (one object, or lists of cases/appointments)."""
        if not isinstance(answer, dict):
            return
        items = [answer, *answer.get("cases", []), *answer.get("appointments", [])]
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("access_token"), str):
                continue
            if isinstance(item.get("case_no"), str):
                self._keep(("case", item["case_no"]), item["access_token"])
            elif isinstance(item.get("appointment_id"), str):
                self._keep(("appointment", item["appointment_id"]), item["access_token"])

    def _keep(self, key: tuple[str, str], token: str) -> None:
        self._tokens[key] = token
        self._tokens.move_to_end(key)
        while len(self._tokens) > self._max:
            self._tokens.popitem(last=False)

    def header_for(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, str]:
        """``{"X-Access-Token": …}`` when the request is about a case or an appointment
        whose token this client learned; else nothing."""
        key: tuple[str, str] | None = None
        if found := _CASE_PATH.match(path):
            key = ("case", found.group(1))
        elif (found := _APPOINTMENT_PATH.match(path)) and found.group(1) not in _NOT_IDS:
            key = ("appointment", found.group(1))
        elif method == "POST" and path == "/v1/applications" and body is not None:
            case_no = body.get("case_no")
            key = ("case", case_no) if isinstance(case_no, str) else None
        token = self._tokens.get(key) if key is not None else None
        return {HEADER: token} if token else {}

    def forget(self) -> None:
        self._tokens.clear()
