"""Voice guidance: a real espeak-ng writing WAV files; a new prompt cuts the old one."""

from __future__ import annotations

from pathlib import Path

from kiosk.voice import Voice


def test_prompts_are_spoken_in_the_right_voice(tmp_path: Path) -> None:
    voice = Voice(output=tmp_path)
    assert voice.enabled
    voice.say("请把身份证放在下方读卡区", "zh_CN")
    voice.wait()
    voice.say("Please place your ID card on the reader", "en")
    voice.wait()
    files = sorted(tmp_path.glob("prompt-*.wav"))
    assert [f.name for f in files] == ["prompt-0001.wav", "prompt-0002.wav"]
    assert all(f.read_bytes()[:4] == b"RIFF" and f.stat().st_size > 5_000 for f in files)
    # what each file says, beside it: a test can listen without a speech recogniser
    said = [f.with_suffix(".txt").read_text(encoding="utf-8") for f in files]
    assert said == ["请把身份证放在下方读卡区", "Please place your ID card on the reader"]


def test_missing_engine_or_switched_off_means_silence(tmp_path: Path) -> None:
    for voice in (Voice(enabled=False, output=tmp_path), Voice(binary="no-such-tts")):
        assert not voice.enabled
        voice.say("你好", "zh_CN")
        assert voice.spoken == 0
    assert not list(tmp_path.iterdir())


def test_empty_text_is_not_spoken(tmp_path: Path) -> None:
    voice = Voice(output=tmp_path)
    voice.say("   ", "zh_CN")
    assert voice.spoken == 0
