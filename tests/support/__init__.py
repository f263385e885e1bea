"""What the tests share, in one place the product never imports: a fake clock, device
makers with their simulators, the real kiosk pieces set up for a test."""

from tests.support.clock import FakeClock

__all__ = ["FakeClock"]
