"""Evals: scenarios."""
