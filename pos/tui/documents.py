"""Where the till writes the documents it makes (reports, count sheets, waste and delivery notes)."""

from __future__ import annotations

from pathlib import Path


def documents_dir() -> Path:
    """The user's documents folder, in an Orto folder (made when missing)."""
    from platformdirs import user_documents_dir

    folder = Path(user_documents_dir()) / "Orto"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
