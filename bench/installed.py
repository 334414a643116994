"""The environment for timing a command in a new process as an office runs it.

`pip install` compiles the package's bytecode, so an installed command does not compile its
modules; on a machine with PYTHONDONTWRITEBYTECODE set (this one) every run would compile them
again. This module imports nothing else: a timing script's own memory counts in the peak memory
the system reports for the command it starts (the command begins as a copy of it).
"""

import os


def as_installed() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
