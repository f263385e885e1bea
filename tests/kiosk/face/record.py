"""Records the landmark sequences the liveness tests replay (sequences.json): the real
model run over synthesised clips of the demo resident, at 10 frames a second. Run it
again after changing devices/face/synth.py or the model:

    .venv/bin/python -m tests.kiosk.face.record
"""

from __future__ import annotations

import json
from pathlib import Path

from devices.face.model import shared_model
from devices.face.quality import measure
from devices.face.synth import blink_and_turn, face_clip

OUT = Path(__file__).with_name("sequences.json")
FPS = 10.0


def record(frames: tuple) -> list[dict[str, object]]:
    model = shared_model()
    out = []
    for i, image in enumerate(frames):
        faces = model.analyse(image)
        m = measure(image, faces)
        if m.faces != 1:
            out.append({"at": round(i / FPS, 2), "face": False})
            continue
        left, top, right, bottom = faces[0].box
        out.append(
            {
                "at": round(i / FPS, 2),
                "face": True,
                "eyes": round(m.eyes, 4),
                "yaw": round(m.yaw, 4),
                "centre": [(left + right) / 2, (top + bottom) / 2],
                "width": right - left,
            }
        )
    return out


def main() -> None:
    live = face_clip("elder", live=True)
    still = face_clip("elder", live=False) * 60
    sequences = {
        "poses": [[p.shut, p.turn] for p in blink_and_turn() + blink_and_turn(turn=-1.0)],
        "live": record(live),
        "still": record(still),
    }
    lines = [
        f"  {json.dumps(name)}: [\n" + ",\n".join(f"    {json.dumps(x)}" for x in items) + "\n  ]"
        for name, items in sequences.items()
    ]
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(sequences['live'])} live, {len(sequences['still'])} still samples")


if __name__ == "__main__":
    main()
