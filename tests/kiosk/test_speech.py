"""kiosk/speech.py: what the voice may say (issue 19, item 6). The screens never choose
personal data; this is the net under them: a sentence with any of the session's personal
values, whole or masked, or shaped like an ID, phone or card number, is not spoken."""

from __future__ import annotations

from pathlib import Path

from kiosk.identity import Identity
from kiosk.session import Session
from kiosk.speech import MAX_CHOICES, choices_sentence, ended, speakable, utterance
from tests.support import FakeClock


def _session(tmp_path: Path) -> Session:
    session = Session(tmp_path, language="zh_CN", elderly=False, clock=FakeClock())
    session.identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    session.answers.update({"phone": "13800138000", "purpose": "record", "reason": "家里老人"})
    return session


def test_sentences_with_personal_data_are_not_spoken(tmp_path: Path) -> None:
    session = _session(tmp_path)
    identity = session.identity
    assert identity is not None
    kept = [
        "受理成功。",
        "回执已打印，请取走并妥善保管",
        "承诺办结：2026年12月25日",  # a date is not personal
        "您选择了 record",  # a choice's value is not the citizen's words
    ]
    dropped = [
        "预约人：测试甲",
        f"预约人：{identity.masked_name}",  # masked is still the citizen's
        f"证件号码 {identity.masked_id}",
        "证件号码 110101194501011236",
        "请拨打 13900001111",  # shaped like a phone number, whoever's it is
        "原因：家里老人",  # what the citizen typed
    ]
    assert speakable([*kept, "  ", *dropped], session) == kept


def test_choices_are_one_sentence_and_only_the_first_ten() -> None:
    template = "您可以选择：{choices}。"
    said = choices_sentence(template, "更多选项请看屏幕。", ["办理", "返回", "办理", " "], "zh_CN")
    assert said == "您可以选择：办理；返回。"  # duplicates and blanks once or not at all
    many = [f"选项{n}" for n in range(MAX_CHOICES + 2)]
    said = choices_sentence(template, "更多选项请看屏幕。", many, "zh_CN")
    assert f"选项{MAX_CHOICES - 1}；" not in said and f"选项{MAX_CHOICES - 1}。" in said
    assert f"选项{MAX_CHOICES}" not in said and said.endswith("更多选项请看屏幕。")
    assert choices_sentence(template, "", [], "zh_CN") == ""
    english = choices_sentence("You can choose: {choices}.", "", ["Apply", "Back"], "en")
    assert english == "You can choose: Apply; Back."


def test_sentences_end_so_the_voice_pauses_between_them() -> None:
    assert ended("受理成功", "zh_CN") == "受理成功。"
    assert ended("缴费成功！", "zh_CN") == "缴费成功！"
    assert ended("Accepted", "en") == "Accepted."
    assert utterance(["受理成功", "回执已打印\n请取走", ""], "zh_CN") == (
        "受理成功。 回执已打印 请取走。"
    )
