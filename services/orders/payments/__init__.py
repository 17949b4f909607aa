"""Payments: the PaymentProvider port and its adapters (the embedded test provider)."""
