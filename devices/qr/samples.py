"""A labelled set of synthetic camera frames for tests and ``bench/bench_qr.py``.

Payloads are what reaches a kiosk: our own receipt and appointment links, Chinese text
as UTF-8 (with and without an ECI) and as GBK, short all-Chinese names (the case ZBar
reads as Shift-JIS), opaque e-ID tokens and other platforms' links. Difficulty levels
follow research/perf.md "QR decoding"; frames without a code carry look-alikes.
"""

from __future__ import annotations

import base64
import dataclasses as dc
from collections.abc import Iterator

import numpy as np

from devices.qr.encode import ECI_UTF8, qr_matrix
from devices.qr.synth import Scene, random_scene, render_frame

# Common characters (GB 2312 level 1), so that every sample also exists in GBK.
HANZI = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰霞玉凤建国民生社保医疗养老公积金户口"
    "证明办理申请村镇街道服务站窗口预约受理审批结果查询缴费登记变更补办身份居住营业执照"
)
KINDS = ("receipt", "appointment", "utf8", "utf8_eci", "gbk", "short_name", "eid", "platform")
LEVELS = ("easy", "medium", "hard")


@dc.dataclass(frozen=True)
class Payload:
    """What a code holds: the text, how it is written, the kind of code."""

    text: str
    kind: str
    encoding: str = "utf-8"
    eci: int | None = None


@dc.dataclass(frozen=True, eq=False)
class Sample:
    """One frame and its answer (``payload`` None: no code in the frame)."""

    frame: np.ndarray
    payload: Payload | None
    scene: Scene
    level: str
    size: tuple[int, int]


def _hanzi(rng: np.random.Generator, n: int) -> str:
    return "".join(HANZI[i] for i in rng.integers(0, len(HANZI), n))


def make_payload(rng: np.random.Generator, kind: str) -> Payload:
    """A made-up payload of ``kind`` (one of :data:`KINDS`)."""
    number = "".join(str(d) for d in rng.integers(0, 10, 14))
    token = base64.urlsafe_b64encode(rng.bytes(int(rng.integers(40, 90)))).decode().rstrip("=")
    if kind == "receipt":
        return Payload(f"https://zwfw.example.gov.cn/q/r?n={number}&s={token[:12]}", kind)
    if kind == "appointment":
        return Payload(f"https://zwfw.example.gov.cn/q/a?n=A{number[:9]}&s={token[:12]}", kind)
    if kind == "utf8":
        return Payload(f"{_hanzi(rng, int(rng.integers(4, 30)))}", kind)
    if kind == "utf8_eci":
        return Payload(_hanzi(rng, int(rng.integers(4, 30))), kind, eci=ECI_UTF8)
    if kind == "gbk":
        return Payload(_hanzi(rng, int(rng.integers(2, 30))), kind, encoding="gbk")
    if kind == "short_name":
        return Payload(_hanzi(rng, int(rng.integers(2, 4))), kind)
    if kind == "eid":
        return Payload(f"CTID1.{token}", kind)
    if kind == "platform":
        return Payload(f"https://qr.example-pay.cn/{token[:24]}", kind)
    raise ValueError(f"unknown payload kind {kind!r}; expected one of {KINDS}")


def payload_matrix(payload: Payload) -> np.ndarray:
    return qr_matrix(payload.text, encoding=payload.encoding, eci=payload.eci)


def sample(seed: int, level: str, size: tuple[int, int], *, kind: str | None = None) -> Sample:
    """One frame with a code (``level``: easy, medium, hard) at ``size`` (width, height)."""
    rng = np.random.default_rng(seed)
    payload = make_payload(rng, kind or KINDS[int(rng.integers(0, len(KINDS)))])
    matrix = payload_matrix(payload)
    scene = random_scene(rng, level, matrix.shape[0])
    frame = render_frame(matrix, scene, size, seed=seed)
    return Sample(frame, payload, scene, level, size)


def empty_sample(seed: int, size: tuple[int, int]) -> Sample:
    """A frame with no code: look-alikes under camera blur, noise and JPEG."""
    rng = np.random.default_rng(seed)
    level = LEVELS[int(rng.integers(0, 3))]
    scene = random_scene(rng, level, 25)
    return Sample(render_frame(None, scene, size, seed=seed), None, scene, level, size)


def sample_set(
    n_codes: int, n_empty: int, sizes: tuple[tuple[int, int], ...], seed: int = 0
) -> Iterator[Sample]:
    """``n_codes`` frames with a code (levels and sizes in turn) and ``n_empty`` without."""
    for i in range(n_codes):
        yield sample(seed * 100_000 + i, LEVELS[i % 3], sizes[(i // 3) % len(sizes)])
    for i in range(n_empty):
        yield empty_sample(seed * 100_000 + 50_000 + i, sizes[i % len(sizes)])
