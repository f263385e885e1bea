"""The fleet agent that runs inside each kiosk.

:class:`Agent` enrolls the kiosk, sends jittered heartbeats, fetches, verifies and stages
signed configuration bundles, and runs remote commands. The kiosk calls
:meth:`Agent.between_sessions` when no citizen is being served; that is when a staged
bundle becomes active (written as a site settings file and a catalogue file that the
validator the kiosk hands over checks first: the agent never imports the kiosk).
:func:`active_site_file` and :func:`active_catalogue` (the catalogue file and the excluded
matters, the bundle verified once) say where the active bundle's files are, for start-up.
"""

from provisioning.agent.agent import Activation, Agent
from provisioning.agent.commands import Hooks
from provisioning.agent.errors import AgentError, BundleRefused, NotEnrolled, Refused, Unreachable
from provisioning.agent.paths import (
    active_catalogue,
    active_catalogue_file,
    active_exclusions,
    active_site_file,
)
from provisioning.agent.probe import health_from

__all__ = [
    "Activation",
    "Agent",
    "AgentError",
    "BundleRefused",
    "Hooks",
    "NotEnrolled",
    "Refused",
    "Unreachable",
    "active_catalogue",
    "active_catalogue_file",
    "active_exclusions",
    "active_site_file",
    "health_from",
]
