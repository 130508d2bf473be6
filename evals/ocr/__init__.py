"""Evals: ocr."""
