"""Code tables printed on the card: nations (GB 3304-91) and sex (GB/T 2261.1-2003).

The card stores the two-digit code; the card face prints the short name (``汉``). The
kiosk shows the standard name (``汉族``). Order and codes follow GB 3304 (01-56, then 97
其他 and 98 外国血统中国籍人士), the same table reader SDKs ship (research §2.5).
"""

from __future__ import annotations

import dataclasses as dc


@dc.dataclass(frozen=True)
class CodeLabel:
    """A coded value and its Chinese label, e.g. ``CodeLabel("01", "汉族")``."""

    code: str
    label: str

    def __str__(self) -> str:
        return self.label


# code: (short name printed on the card, GB 3304 romanisation)
_NATIONS: dict[str, tuple[str, str]] = {
    "01": ("汉", "Han"),
    "02": ("蒙古", "Mongol"),
    "03": ("回", "Hui"),
    "04": ("藏", "Zang"),
    "05": ("维吾尔", "Uygur"),
    "06": ("苗", "Miao"),
    "07": ("彝", "Yi"),
    "08": ("壮", "Zhuang"),
    "09": ("布依", "Buyei"),
    "10": ("朝鲜", "Chosen"),
    "11": ("满", "Man"),
    "12": ("侗", "Dong"),
    "13": ("瑶", "Yao"),
    "14": ("白", "Bai"),
    "15": ("土家", "Tujia"),
    "16": ("哈尼", "Hani"),
    "17": ("哈萨克", "Kazak"),
    "18": ("傣", "Dai"),
    "19": ("黎", "Li"),
    "20": ("傈僳", "Lisu"),
    "21": ("佤", "Va"),
    "22": ("畲", "She"),
    "23": ("高山", "Gaoshan"),
    "24": ("拉祜", "Lahu"),
    "25": ("水", "Sui"),
    "26": ("东乡", "Dongxiang"),
    "27": ("纳西", "Naxi"),
    "28": ("景颇", "Jingpo"),
    "29": ("柯尔克孜", "Kirgiz"),
    "30": ("土", "Tu"),
    "31": ("达斡尔", "Daur"),
    "32": ("仫佬", "Mulao"),
    "33": ("羌", "Qiang"),
    "34": ("布朗", "Blang"),
    "35": ("撒拉", "Salar"),
    "36": ("毛南", "Maonan"),
    "37": ("仡佬", "Gelao"),
    "38": ("锡伯", "Xibe"),
    "39": ("阿昌", "Achang"),
    "40": ("普米", "Pumi"),
    "41": ("塔吉克", "Tajik"),
    "42": ("怒", "Nu"),
    "43": ("乌孜别克", "Uzbek"),
    "44": ("俄罗斯", "Russ"),
    "45": ("鄂温克", "Ewenki"),
    "46": ("德昂", "Deang"),
    "47": ("保安", "Bonan"),
    "48": ("裕固", "Yugur"),
    "49": ("京", "Gin"),
    "50": ("塔塔尔", "Tatar"),
    "51": ("独龙", "Derung"),
    "52": ("鄂伦春", "Oroqen"),
    "53": ("赫哲", "Hezhen"),
    "54": ("门巴", "Monba"),
    "55": ("珞巴", "Lhoba"),
    "56": ("基诺", "Jino"),
    "97": ("其他", "Others"),
    "98": ("外国血统中国籍人士", "Naturalised"),
}

SEXES: dict[str, str] = {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}


def nation_name(code: str) -> str:
    """Standard name: ``汉族`` for 01; 97 and 98 have no ``族`` suffix. KeyError if unknown."""
    short = _NATIONS[code][0]
    return short if code in ("97", "98") else short + "族"


def nation_short_name(code: str) -> str:
    """The name as printed on the card face (``汉``)."""
    return _NATIONS[code][0]


def nation_roman(code: str) -> str:
    return _NATIONS[code][1]


def nation(code: str) -> CodeLabel:
    """``CodeLabel(code, standard name)``; KeyError for a code outside GB 3304."""
    return CodeLabel(code, nation_name(code))


def sex(code: str) -> CodeLabel:
    """``CodeLabel(code, label)`` after GB/T 2261.1; KeyError for an unknown code."""
    return CodeLabel(code, SEXES[code])


NATION_CODES: tuple[str, ...] = tuple(_NATIONS)
