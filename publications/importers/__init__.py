"""Bringing content in from other systems. Only management commands import these."""
