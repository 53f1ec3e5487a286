"""Errors a caller can act on. Everything else is a bug."""


class SaywhoError(Exception):
    """Base class for errors saywho reports to users as one clear line."""


class InputError(SaywhoError, ValueError):
    """The input cannot be processed: empty, binary, no article text, too large."""


class ModelError(SaywhoError, RuntimeError):
    """The spaCy model cannot be loaded."""
