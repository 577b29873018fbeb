"""Farms and other suppliers, deliveries and km0."""
