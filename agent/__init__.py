"""Nagrik: agent."""
