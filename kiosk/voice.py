"""Voice guidance spoken aloud (espeak-ng), for citizens who read with difficulty.

What is said is composed by the screens (screens/announcer.py): a screen's prompt, what
it shows of the citizen's progress and the choices on it; never personal data. This
module only speaks it.

Speaking never blocks the caller: espeak-ng runs as a child process, and a new prompt
cuts off the one still playing. ``output`` set to a folder writes WAV files instead of
playing (tests, the demo, machines without speakers), each with the text it speaks
beside it (``prompt-0001.wav`` and ``prompt-0001.txt``), so what the voice said can be
checked without a speech recogniser.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import threading
from pathlib import Path

log = logging.getLogger(__name__)

VOICES = {"zh_CN": "cmn", "en": "en"}


class Voice:
    def __init__(
        self,
        *,
        enabled: bool = True,
        output: Path | None = None,
        binary: str = "espeak-ng",
        speed: int = 140,
    ) -> None:
        self.binary = shutil.which(binary) if enabled else None
        if enabled and self.binary is None:
            log.warning("voice guidance off: %s is not installed", binary)
        self.output = output
        self.speed = speed
        self.spoken = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.binary is not None

    def say(self, text: str, lang: str) -> None:
        """Speak ``text`` (a translated prompt), interrupting what is still playing."""
        if not self.enabled or not text.strip():
            return
        assert self.binary is not None
        args = [self.binary, "-v", VOICES.get(lang, "cmn"), "-s", str(self.speed)]
        with self._lock:
            self.stop_locked()
            self.spoken += 1
            if self.output is not None:
                self.output.mkdir(parents=True, exist_ok=True)
                stem = self.output / f"prompt-{self.spoken:04d}"
                stem.with_suffix(".txt").write_text(text, encoding="utf-8")
                args += ["-w", str(stem.with_suffix(".wav"))]
            try:
                self._proc = subprocess.Popen(
                    [*args, "--", text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as exc:
                log.warning("voice guidance failed: %s", exc)

    def stop(self) -> None:
        with self._lock:
            self.stop_locked()

    def stop_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=2)

    def wait(self, timeout: float = 10.0) -> None:
        """Until the current prompt has been spoken (tests, the demo)."""
        proc = self._proc
        if proc is not None:
            proc.wait(timeout=timeout)
