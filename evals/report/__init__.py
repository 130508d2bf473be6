"""Evals: self-contained HTML reports of a run."""
