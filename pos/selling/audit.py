"""The audit log lives in the kernel (``orto.audit``); selling's modules import it from here too."""

from orto.audit import audit

__all__ = ["audit"]
