"""Certificates: issuing the bilingual, verifiable certificate of an approved application."""
