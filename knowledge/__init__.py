"""Nagrik: knowledge."""
