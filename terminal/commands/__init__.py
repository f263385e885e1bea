"""The ``kiosk`` command's subcommands, one module each.

Each module has ``register(sub)`` adding its parsers to the subparsers object, with a
``handler`` default taking the parsed arguments and returning the exit status. Add a
module to :data:`MODULES` to make its commands appear.
"""

MODULES = [
    "terminal.commands.ui",
    "terminal.commands.config",
    "terminal.commands.sandbox",
    "terminal.commands.qr",
    "terminal.commands.scan",
    "terminal.commands.agent",
    "terminal.commands.print",
    "terminal.commands.outbox",
    "terminal.commands.system",
    "terminal.commands.devices",
    "terminal.commands.staff",
    "terminal.commands.face",
]
