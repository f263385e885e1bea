"""The ``kiosk`` command's subcommands, one module each.

Each module has ``register(sub)`` adding its parsers to the subparsers object, with a
``handler`` default taking the parsed arguments and returning the exit status. Add a
module to :data:`MODULES` to make its commands appear.
"""

MODULES = [
    "kiosk.commands.config",
    "kiosk.commands.sandbox",
    "kiosk.commands.qr",
    "kiosk.commands.scan",
    "kiosk.commands.agent",
    "kiosk.commands.print",
    "kiosk.commands.outbox",
    "kiosk.commands.service",
    "kiosk.commands.devices",
    "kiosk.commands.staff",
]
