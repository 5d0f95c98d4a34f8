"""The simulated Galaxy's ``adb shell``: an interpreter and one module per command family.

``interpreter`` parses a command line (``;``, ``&&``, ``||``, ``|``, redirections) and dispatches to
``basics`` (echo, cat, ls…), ``props`` (getprop/setprop/settings), ``pm`` (package manager),
``dpm`` (device policy), ``services`` (service call, dumpsys) and ``am`` (am, wm, reboot, input).
Every command reads and changes the device's state (``SimulatedGalaxy``) under its lock.
"""

from kitstation.simulator.android.shell.result import ConnectionDrop, ShellResult

__all__ = ["ConnectionDrop", "ShellResult"]
