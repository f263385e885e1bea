"""Usage telemetry (统计分析): what the kiosks do for people, counted per hour with
nothing personal in it, and sent to the fleet in hourly batches.

vocabulary.py   what may be counted: metrics, dimensions, their values, caps
journeys.py     the session observer: sessions and flows turned into counts
recorder.py     counting, validated; held per session, written at its end
store.py        the counters and hourly batches on disk (state/usage.sqlite3)
batch.py        a batch on the wire, and its validator (docs/analytics.md)
"""

from kiosk.usage.batch import FORMAT, check_batch
from kiosk.usage.recorder import UsageRecorder
from kiosk.usage.store import UsageStore
from kiosk.usage.vocabulary import Metric, UsageRefused

__all__ = ["FORMAT", "Metric", "UsageRecorder", "UsageRefused", "UsageStore", "check_batch"]
