"""Receipts: amounts in words, the bilingual receipt PDF, and issuing it for a payment."""
