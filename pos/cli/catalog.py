"""Commands of this area are registered here (filled in by its issue)."""
