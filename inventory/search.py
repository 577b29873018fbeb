"""Finding a product by what the cashier types: accent- and case-insensitive, tolerant of typos.

The catalog is read once into memory (a few MB for 20,000 products) and searched there, so
results follow every keystroke. Ranking: an exact code, then names starting with the text, then
names containing it (word by word), then rapidfuzz's fuzzy match for typos ("pomodri").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select

from orto.db import Database
from orto.models import Product


def fold(text: str) -> str:
    """'Caffè  Macinato' -> 'caffe macinato'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class Hit:
    product_id: int
    code: str
    name: str
    price_cents: int
    sold_by_weight: bool


class ProductIndex:
    def __init__(self, hits: list[Hit]) -> None:
        self._hits = hits
        self._folded = [fold(h.name) for h in hits]
        self._by_code = {h.code.casefold(): h for h in hits}

    @classmethod
    def load(cls, db: Database) -> ProductIndex:
        # The driver's own cursor: SQLAlchemy's row processing costs 0.1-0.2 s on 20,000 products,
        # and the till loads this while the cashier logs in.
        sql = str(
            select(Product.id, Product.code, Product.name, Product.price_cents, Product.sold_by_weight)
            .where(Product.active.is_(True))
            .order_by(Product.name)
            .compile(db.engine, compile_kwargs={"literal_binds": True})
        )
        with db.read() as session:
            cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        return cls([Hit(int(pid), code, name, int(price), bool(weighed)) for pid, code, name, price, weighed in rows])

    def __len__(self) -> int:
        return len(self._hits)

    def search(self, text: str, limit: int = 8) -> list[Hit]:
        query = fold(text)
        if not query:
            return []
        found: list[Hit] = []
        seen: set[int] = set()

        def take(hit: Hit) -> None:
            if hit.product_id not in seen and len(found) < limit:
                seen.add(hit.product_id)
                found.append(hit)

        exact = self._by_code.get(text.strip().casefold())
        if exact:
            take(exact)
        words = query.split()
        for i, name in enumerate(self._folded):
            if name.startswith(query):
                take(self._hits[i])
        if len(found) < limit:
            for i, name in enumerate(self._folded):
                if all(w in name for w in words):
                    take(self._hits[i])
        if len(found) < limit and len(query) >= 3:
            for _choice, _score, i in process.extract(
                query, self._folded, scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=75
            ):
                take(self._hits[i])
        return found
