"""统计分析 and 电子监察 on the fleet server (issue 18; docs/analytics.md is the contract).

batch.py checks a kiosk's usage batch as the kiosk does; ingest.py stores it once per
device and hour and adds it to the rollups (tables.py); queries.py reads the rollups for
the pages and the report; supervision.py pulls the platform's cases and keeps the red
and yellow cards and the 差评 follow-ups; report.py and pages.py show it all.
"""
