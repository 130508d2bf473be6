"""Evals: retrieval."""
