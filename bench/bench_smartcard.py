"""A full PC/SC card read through the real pcscd, vs the same read in memory.

Run (as root, so pcscd can be started when it is not running):
``.venv/bin/python bench/bench_smartcard.py [--cycles N] [--no-write]``.

Path measured: pyscard → pcscd → vpcd (TCP on loopback) → the virtual card, for the
social-security card (EF05 + EF06) and the PBOC debit card (PSE, SELECT, GPO, AFL), with
the card already in the reader: connect, begin a transaction, every APDU (including
T=0's GET RESPONSE and Le retries), disconnect. The "in memory" rows run the same reader
code against the chip model directly: the codec's own cost. A real contact card at
ISO 7816-3's default 9600 bit/s adds roughly 1 ms per byte moved (10.6 ms for a 10-byte
APDU round trip before the card's processing time), so the software figures here are
what a real read adds on top of the card itself.

The insert row is the time from a card entering the reader to the supervisor's
on_inserted: dominated by pcscd polling the vpcd driver every 0.4 s.
"""

from __future__ import annotations

import queue
import tempfile
import time
from pathlib import Path

from results_file import arguments, write_section
from timing import spread_ms, times_ms

from devices.smartcard import CardChannel, ReaderSupervisor, SmartCardReader, VirtualCard, read_any
from devices.smartcard.fixtures import DEBIT, FIXTURES, SSC_CARD
from devices.smartcard.pcscd import PcscdService, assert_readers_empty
from devices.smartcard.simcard import SimCard

CARDS = {"ssc": SSC_CARD, "bank": DEBIT}


def in_memory(name: str, cycles: int) -> tuple[list[float], int]:
    times, exchanges = [], 0
    for _ in range(cycles):
        channel = CardChannel(SimCard(FIXTURES[name]).answer)
        start = time.perf_counter()
        assert read_any(channel) == CARDS[name]
        times.append((time.perf_counter() - start) * 1000)
        exchanges = channel.exchanges
    return times, exchanges


def through_pcscd(name: str, cycles: int) -> tuple[list[float], int]:
    with VirtualCard(name), SmartCardReader("Virtual PCD 00 00") as reader:
        assert reader.read_card(10) == CARDS[name]  # warm-up, and a correctness check
        slot = reader.last_reader
        times = times_ms(lambda: reader.read_present(slot), cycles)
        exchanges = reader.exchanges
    assert_readers_empty()
    return times, exchanges


def insert_to_event(samples: int) -> list[float]:
    card = VirtualCard("bank", scenario="no_card").start()
    events: queue.Queue[float] = queue.Queue()
    times = []
    with SmartCardReader("Virtual PCD 00 00") as reader:
        supervisor = ReaderSupervisor(
            reader,
            on_inserted=lambda _r: events.put(time.perf_counter()),
            on_removed=lambda: None,
            interval=0.1,
        ).start()
        try:
            for _ in range(samples):
                start = time.perf_counter()
                card.insert()
                times.append((events.get(timeout=15) - start) * 1000)
                card.remove()
                time.sleep(1.2)  # the card must be seen gone before it comes back
        finally:
            supervisor.stop()
            card.stop()
    assert_readers_empty()
    return times


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--inserts", type=int, default=5)
    args = parser.parse_args()
    service = PcscdService(Path(tempfile.mkdtemp(prefix="bench-pcscd-"))).ensure()
    try:
        rows = []
        for name in CARDS:
            for label, run in (("pcscd", through_pcscd), ("in memory", in_memory)):
                times, apdus = run(name, args.cycles)
                rows.append((f"{name}, {label}", apdus, *spread_ms(times)))
        inserts = insert_to_event(args.inserts)
    finally:
        service.stop()
    head = f"| read | APDUs | mean ms | p50 ms | p95 ms | max ms | ms/APDU |\n{'|---' * 7}|"
    lines = [
        f"| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.1f} | "
        f"{r[2] / r[1]:.2f} |"
        for r in rows
    ]
    mean, p50, p95, top = spread_ms(inserts)
    lines.append(
        f"| insert → on_inserted (bank) | – | {mean:.0f} | {p50:.0f} | {p95:.0f} | {top:.0f} | – |"
    )
    table = "\n".join([head, *lines])
    print(f"PC/SC card read cycle, {args.cycles} cycles per row, {args.inserts} inserts\n")
    print(table)
    if not args.no_write:
        note = (
            f"{args.cycles} reads per row with the card left in the reader; pyscard → "
            "pcscd → vpcd → virtual card (bench/bench_smartcard.py). Insert latency is "
            "bounded by pcscd's 0.4 s presence polling of vpcd."
        )
        write_section("Identity devices", "Smartcard read cycle", f"{note}\n\n{table}")


if __name__ == "__main__":
    main()
