"""Selling, shifts, the Textual till and the orto command line."""
