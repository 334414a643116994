"""The service log `asystent.log`: Polish, for people, rotated, owner-only, without personal data.

Lines name files, case numbers and field paths; never values from inside a form.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from records.text import shown

LOGGER_NAME = "asystent"


class _PrivateRotatingHandler(RotatingFileHandler):
    """Every log file, including each rotated one, is created readable by its owner only."""

    _complained = False

    def _open(self):
        if sys.platform != "win32" and not os.path.exists(self.baseFilename):
            os.close(os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY, 0o600))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A line that cannot be written (a full disk) costs that line, not the service; one
        Polish sentence on stderr instead of logging's English traceback."""
        if not self._complained:
            self._complained = True
            sys.stderr.write(
                "asystent: nie można zapisać dziennika asystent.log (brak miejsca na dysku albo "
                "uprawnień?); praca trwa dalej.\n"
            )


def get_logger(log_file: Path) -> logging.Logger:
    """The workspace's logger, set up once per log file."""
    logger = logging.getLogger(f"{LOGGER_NAME}.{log_file}")
    if not logger.handlers:
        handler = _PrivateRotatingHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True
        )
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname_pl)s %(message)s", "%Y-%m-%d %H:%M:%S")
        )
        handler.addFilter(_polish_level)
        handler.addFilter(_one_line)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


_LEVELS = {"INFO": "INFO ", "WARNING": "UWAGA", "ERROR": "BŁĄD ", "CRITICAL": "BŁĄD "}


def _polish_level(record: logging.LogRecord) -> bool:
    record.levelname_pl = _LEVELS.get(record.levelname, record.levelname)
    return True


def _one_line(record: logging.LogRecord) -> bool:
    """Every value put into a line is shown escaped: a file name holding a newline cannot forge
    a line, and a name that is not UTF-8 cannot stop the log."""
    if isinstance(record.args, tuple):
        record.args = tuple(
            shown(str(arg)) if isinstance(arg, str | os.PathLike) else arg for arg in record.args
        )
    return True
