"""The ``kiosk`` command's subcommands, one module each.

Each module has ``register(sub)`` adding its parsers to the subparsers object, with a
``handler`` default taking the parsed arguments and returning the exit status. Add a
module to :data:`MODULES` to make its commands appear.

Every module is imported to build the parser, so a handler imports what only it needs
(OpenCV, the stand-in platform, the UI) when it runs: ``kiosk outbox status`` on a
kiosk does not load a camera stack, and ``kiosk check-config`` works without a display.
The layering test reads those imports too.
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
    "terminal.commands.update",
]
