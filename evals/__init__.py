"""Nagrik: evals."""
