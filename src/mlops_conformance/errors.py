"""The project's error hierarchy, drawn here so a reader sees the whole tree at once.

    ConformanceError
    ├── UsageError          bad options or arguments on the command line / pytest options
    ├── ExtractionError     a vendor document could not be read (carries file and line)
    ├── ContractError       a contract or overlay file is missing, stale or invalid (carries file)
    ├── ReportError         a summary or report directory is missing, corrupt or mismatched
    └── TargetError         the server under test misbehaved (timeouts, resets, garbage)
        ├── TargetTimeout
        └── TargetProtocolError

The CLI maps each to a one-line message and an exit code, once, in ``cli.py``.
"""

from __future__ import annotations


class ConformanceError(Exception):
    """Base class: every error the tool raises on purpose."""

    exit_code = 2

    def one_line(self) -> str:
        return " ".join(str(self).split())


class UsageError(ConformanceError):
    exit_code = 2


class ExtractionError(ConformanceError):
    """A documentation file could not be parsed; always names the file and, when known, the line."""

    exit_code = 2

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ContractError(ConformanceError):
    exit_code = 2

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class ReportError(ConformanceError):
    exit_code = 2


class TargetError(ConformanceError):
    exit_code = 1


class TargetTimeout(TargetError):
    pass


class TargetProtocolError(TargetError):
    pass
