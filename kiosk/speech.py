"""What the voice may say, put together: a screen's sentences and its choices, checked
for personal data at this one place before anything is spoken.

The screens decide what to say (a prompt, the outcome of a step, an error and what to do
next, the list of materials, the choices on screen) and never choose personal data; this
is the safety net under that rule, as kiosk/logs.py's redaction is for log lines. A
sentence holding any of the session's personal values, masked or not, or anything shaped
like an ID, phone or card number, is not spoken at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kiosk.logs import redact
from kiosk.session import Session

MAX_CHOICES = 10  # more would take longer to hear than to look for
_ENDS = tuple("。！？!?.…：:")


def personal_values(session: Session) -> list[str]:
    """The session's personal values as they might appear in a sentence: the identity
    (whole and masked) and what the citizen typed (anything with a digit or a Chinese
    character; a choice's value such as ``self`` is not personal)."""
    values = []
    identity = session.identity
    if identity is not None:
        values += [identity.name, identity.id_number, identity.address]
        values += [identity.masked_name, identity.masked_id]
    for answer in session.answers.values():
        if isinstance(answer, str) and any(c.isdigit() or ord(c) > 0x2E80 for c in answer):
            values.append(answer)
    return [v for v in values if len(v) >= 2]


def speakable(sentences: Iterable[str], session: Session) -> list[str]:
    """``sentences`` without the empty ones and without any that holds personal data."""
    private = personal_values(session)
    kept = []
    for sentence in (s.strip() for s in sentences):
        if not sentence:
            continue
        if redact(sentence) == sentence and not any(value in sentence for value in private):
            kept.append(sentence)
    return kept


def choices_sentence(template: str, more: str, choices: Sequence[str], lang: str) -> str:
    """The choices on screen in one sentence: ``template`` with ``{choices}`` joined as
    the language lists things, and ``more`` after the first :data:`MAX_CHOICES`."""
    names = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if not names:
        return ""
    joiner = "；" if lang == "zh_CN" else "; "  # names may hold "、" or ","
    text = template.format(choices=joiner.join(names[:MAX_CHOICES]))
    return f"{ended(text, lang)} {more}" if len(names) > MAX_CHOICES else text


def ended(sentence: str, lang: str) -> str:
    """``sentence`` ending with a full stop, so the voice pauses after it."""
    sentence = sentence.strip()
    if not sentence or sentence.endswith(_ENDS):
        return sentence
    return sentence + ("。" if lang == "zh_CN" else ".")


def utterance(sentences: Sequence[str], lang: str) -> str:
    """Sentences as one text to speak, each ended so the voice pauses between them."""
    return " ".join(ended(s.replace("\n", " "), lang) for s in sentences if s.strip())
