"""What the tests share, in one place the product never imports: a fake clock, device
makers with their simulators, the real kiosk pieces set up for a test."""

from pathlib import Path

from tests.support.clock import FakeClock

ROOT = Path(__file__).resolve().parents[2]  # the repository

__all__ = ["ROOT", "FakeClock"]
