"""Machinery written once and used by every domain."""
