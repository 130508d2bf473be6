"""Nagrik: tools."""
