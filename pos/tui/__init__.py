"""pos.tui"""
