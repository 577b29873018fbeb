"""Catalog, lots, the stock ledger, lab batches and waste."""
