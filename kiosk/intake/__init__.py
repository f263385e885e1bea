"""Accepting an application (受理): save it to the outbox, print the receipt, send it.

``accept`` runs the steps in the never-lose-data order, ``printing`` keeps a receipt
until the printer confirms it, ``submissions`` decides what a session submits and the
receipt's closing words.
"""

from kiosk.intake.accept import CHINA, ID_TYPES, DeviceMissing, Intake

__all__ = ["CHINA", "ID_TYPES", "DeviceMissing", "Intake"]
