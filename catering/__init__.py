"""Catering at the orto-cucina: customers, quotes and orders, payments and accounts, the kitchen's
plan, delivery notes (DDT) and electronic invoices (FatturaPA). Domain only: no UI here.
See docs/catering.md."""
