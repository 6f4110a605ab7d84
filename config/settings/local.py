"""Local development: `make run` uses these settings."""

from .base import *  # noqa: F403

DEBUG = True
