"""Payments: gateways, orders, captured payments and receipts."""
