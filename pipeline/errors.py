"""Errors a user can act on. The library raises these; only `cli.py` turns them into exit codes."""


class ZongjieError(Exception):
    """Base class: the message says what went wrong and what to do."""


class SkipFile(ZongjieError):
    """A file that cannot be read as a report; the run records it and goes on.

    `reason` is a short stable code (empty, binary, undecodable, too-large, unsupported-format,
    corrupt-archive, archive-too-large, archive-bomb, corrupt-document, permission-denied,
    unsafe-path) for grouping in the run report.
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class DatasetError(ZongjieError):
    """A dataset directory that is missing or not written by zongjie."""


class GoldError(ZongjieError):
    """A gold or prediction file that does not follow SCHEMA.md."""
