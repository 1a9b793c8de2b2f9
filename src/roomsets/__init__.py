"""Roomsets: an open, self-hostable server for the Scoot Room Set API."""

__version__ = "0.1.0"
