"""A full ID card read (find → select → read) against the simulated SAM, vs the wire time.

Run: ``.venv/bin/python bench/bench_idcard.py [--cycles N] [--baud 115200] [--no-write]``.

The driver talks to the simulator over a real pty through pyserial, so this measures the
codec, the serial path and the driver's own overhead. A pty has no baud rate, so the
simulator paces its replies to the configured baud (10 bits a byte, 8N1) in the "paced"
rows; the "unpaced" rows show the software overhead alone. One cycle moves 30 request
bytes and 15 + 19 + 1295 reply bytes: 1,359 bytes, ~118 ms at 115200 baud, of which the
1,295-byte read reply alone is ~112 ms. The simulator paces only its replies (115.4 ms
of that); the driver's 30 request bytes reach the pty at once. A real SAM adds its RF
read time on top.
"""

from __future__ import annotations

from results_file import arguments, write_section
from timing import spread_ms, times_ms

from devices.idcard import FIXTURES, IdCardReader, SamSimulator
from devices.transport import SerialTransport

REQUEST_BYTES = 3 * 10
REPLY_BYTES = 15 + 19 + 1295


def wire_ms(n_bytes: int, baud: int) -> float:
    return n_bytes * 10 / baud * 1000


def run(cycles: int, baud: int, pace: bool) -> list[float]:
    """Milliseconds per full read cycle."""
    sim = SamSimulator("elder", baud=baud, pace=pace).start()
    port = sim.port_path
    reader = IdCardReader(lambda: SerialTransport(port, baud), on_close=sim.stop)
    try:
        assert reader.read_card() == FIXTURES["elder"]  # warm-up, and a correctness check
        return times_ms(reader.read_card, cycles)
    finally:
        reader.close()


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args()
    wire = wire_ms(REQUEST_BYTES + REPLY_BYTES, args.baud)
    reply = wire_ms(1295, args.baud)
    rows = []
    for label, pace in (("paced", True), ("unpaced", False)):
        mean, p50, p95, top = spread_ms(run(args.cycles, args.baud, pace))
        rows.append(
            f"| {label} | {mean:.1f} | {p50:.1f} | {p95:.1f} | {top:.1f} | {mean / wire:.2f}x |"
        )
    head = "| mode | mean ms | p50 ms | p95 ms | max ms | vs wire |\n|---|---|---|---|---|---|"
    table = "\n".join([head, *rows])
    print(f"ID card read cycle, {args.cycles} cycles, {args.baud} baud 8N1")
    print(f"wire time: cycle {wire:.1f} ms; the 1295-byte read reply {reply:.1f} ms\n")
    print(table)
    if not args.no_write:
        note = (
            f"find → select → read, {args.cycles} cycles at {args.baud} baud 8N1 against the "
            f"simulated SAM on a pty (bench/bench_idcard.py). Wire time of a cycle: {wire:.1f} "
            f"ms, of the 1295-byte read reply alone {reply:.1f} ms. Target: within 1.3× of wire "
            "time plus the SAM's own delay (none here)."
        )
        write_section("Identity devices", "ID card read cycle", f"{note}\n\n{table}")


if __name__ == "__main__":
    main()
