"""Command-line entry points: thin shells over service functions."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    pass
