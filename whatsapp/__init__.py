"""Nagrik: whatsapp."""
