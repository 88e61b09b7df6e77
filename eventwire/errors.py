"""Errors with codes and messages that say how to fix them (in the manner of spaCy's ``Errors``).

Every error a user can cause derives from ``EventwireError`` and carries a stable code, so the CLI
can print it without a traceback and tests can check for it. Input errors name the input.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class ConfigError(EventwireError):
    code = "E001"


class ModelNotFoundError(EventwireError):
    code = "E002"


class PipelineError(EventwireError):
    """A stage is unknown, or reads what no earlier stage writes."""

    code = "E003"


class StoreError(EventwireError):
    code = "E004"


class DatasetError(EventwireError):
    code = "E005"


class InputError(EventwireError):
    """Bad input: the message names the input (``origin``)."""

    code = "E100"

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class DecodeInputError(InputError):
    code = "E103"


class InputTooLargeError(InputError):
    code = "E104"


class LanguageError(InputError):
    """The text is not in a language the model reads."""

    code = "E105"


class MalformedInputError(InputError):
    """A batch line that is not a JSON object, a bad date, a missing file."""

    code = "E106"


class OptionalDependencyError(EventwireError):
    code = "E200"

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs an optional part: pip install 'eventwire[{extra}]'")
