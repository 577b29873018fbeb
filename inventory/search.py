"""Finding a product by what the cashier types: accent- and case-insensitive, tolerant of typos.

The catalog is read once into memory (a few MB for 20,000 products) and searched there, so
results follow every keystroke. Ranking: an exact code, then names starting with the text, then
names containing it (word by word), then names whose words are close to the words typed, for
typos ("pomodri", "confetura"); only when all of that finds nothing, the whole text against whole
names (words run together, words cut short). The typos are matched against the catalog's
vocabulary (a few thousand distinct words), not against 20,000 whole names: that keeps every
keystroke under a few milliseconds, and a typo in one word does not drown in a long name.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from itertools import accumulate
from typing import NamedTuple

from rapidfuzz import fuzz, process
from sqlalchemy import select

from orto.db import Database
from orto.models import Product

# The combining marks Latin letters decompose into (è -> e + U+0300), dropped by one regular
# expression: a Python loop over every character cost 0.4 s for 20,000 names.
_MARKS = re.compile("[\u0300-\u036f]+")


_BLANKS = re.compile(r"[^\S\n]+")  # whitespace other than the newline between names


def fold_all(texts: list[str]) -> list[str]:
    """``fold`` of each text, done on all of them at once (the catalog's names at every start)."""
    joined = "\n".join(texts).casefold()
    if not joined.isascii():
        joined = _MARKS.sub("", unicodedata.normalize("NFKD", joined))
    folded = [part.strip(" ") for part in _BLANKS.sub(" ", joined).split("\n")]
    if len(folded) != len(texts):  # a name with a line break in it: one by one
        return [fold(text) for text in texts]
    return folded


def fold(text: str) -> str:
    """'Caffè  Macinato' -> 'caffe macinato'."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return " ".join(folded.split())


class Hit(NamedTuple):  # a tuple: 20,000 of them are made at every start
    product_id: int
    code: str
    name: str
    price_cents: int
    sold_by_weight: bool


class ProductIndex:
    def __init__(self, hits: list[Hit]) -> None:
        # in the order of their folded names, so the names starting with the text are found by bisection
        folded = fold_all([h.name for h in hits])
        order = sorted(range(len(hits)), key=folded.__getitem__)
        self._hits = [hits[i] for i in order]
        self._folded = [folded[i] for i in order]
        self._by_code = {h.code.casefold(): h for h in hits}
        # every name in one string: str.find scans it at C speed, instead of a Python loop over 20,000 names
        self._blob = "\n".join(self._folded)
        self._offsets = list(accumulate((len(name) + 1 for name in self._folded), initial=0))[:-1]
        names_with: defaultdict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(self._folded):
            for word in name.split():  # a word twice in a name is listed twice: harmless
                names_with[word].append(i)
        # numbers and two-letter words are never typos of anything: they must match as typed
        self._names_with = {w: names for w, names in names_with.items() if len(w) >= 3 and not w.isdigit()}
        self._vocabulary = sorted(self._names_with)

    @classmethod
    def load(cls, db: Database) -> ProductIndex:
        # The driver's own cursor: SQLAlchemy's row processing costs 0.1-0.2 s on 20,000 products,
        # and the till loads this while the cashier logs in.
        sql = str(
            select(Product.id, Product.code, Product.name, Product.price_cents, Product.sold_by_weight)
            .where(Product.active.is_(True))
            .compile(db.engine, compile_kwargs={"literal_binds": True})
        )
        with db.read() as session:
            cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        return cls([Hit(pid, code, name, price, bool(weighed)) for pid, code, name, price, weighed in rows])

    def __len__(self) -> int:
        return len(self._hits)

    def search(self, text: str, limit: int = 8) -> list[Hit]:
        query = fold(text)
        if not query:
            return []
        found: list[Hit] = []
        seen: set[int] = set()

        def take(hit: Hit) -> bool:
            """Add a hit; True once there are enough."""
            if hit.product_id not in seen and len(found) < limit:
                seen.add(hit.product_id)
                found.append(hit)
            return len(found) >= limit

        exact = self._by_code.get(text.strip().casefold())
        if exact and take(exact):
            return found
        for i in self._starting_with(query):
            if take(self._hits[i]):
                return found
        words = query.split()
        for i in self._containing(words):
            if take(self._hits[i]):
                return found
        if len(query) >= 3:
            for i in self._close_to(words):
                if take(self._hits[i]):
                    return found
        if not found and len(query) >= 3 and not any(w.isdigit() for w in words):
            # nothing word by word: the whole text against whole names, for words run together
            # ("pomodoriciliegini") or cut short ("olio evo"); slower, so only when all else found
            # nothing, and never when a number was typed (a number must match as typed)
            for _name, _score, i in process.extract(
                query, self._folded, scorer=fuzz.WRatio, limit=limit, score_cutoff=75
            ):
                take(self._hits[i])
        return found

    def _starting_with(self, query: str) -> Iterator[int]:
        i = bisect_left(self._folded, query)
        while i < len(self._folded) and self._folded[i].startswith(query):
            yield i
            i += 1

    def _containing(self, words: list[str]) -> Iterator[int]:
        """Names holding every word, in name order: the longest word is looked for, the others checked."""
        longest = max(words, key=len)
        others = [w for w in words if w is not longest]
        blob, offsets = self._blob, self._offsets
        position = blob.find(longest)
        while position >= 0:
            i = bisect_right(offsets, position) - 1
            name = self._folded[i]
            if all(w in name for w in others):
                yield i
            next_name = offsets[i + 1] if i + 1 < len(offsets) else len(blob)
            position = blob.find(longest, next_name)

    def _close_to(self, words: list[str]) -> list[int]:
        """Names with, for every typed word, a word close to it (or containing it): best first.

        Words too short to be a typo of anything (or numbers) must be in the name as typed.
        """
        typos = [w for w in words if len(w) >= 3 and not w.isdigit()]
        exact = [w for w in words if w not in typos]
        scores: dict[int, float] | None = None
        for typed in typos:
            found: dict[int, float] = {}
            for word, score in self._similar_words(typed).items():
                for i in self._names_with[word]:
                    found[i] = max(found.get(i, 0.0), score)
            scores = found if scores is None else {i: scores[i] + s for i, s in found.items() if i in scores}
            if not scores:
                return []
        if scores is None:
            return []
        kept = [i for i in scores if all(w in self._folded[i] for w in exact)]
        # "formagio 33" puts "Formaggio 33" before "Formaggio 1033"
        whole = {i: sum(w in self._folded[i].split() for w in exact) for i in kept}
        return sorted(kept, key=lambda i: (-scores[i] - whole[i], i))

    def _similar_words(self, typed: str) -> dict[str, float]:
        """The catalog's words within a typo of ``typed``, whole ("pomdori") or as its start ("pomdo")."""
        similar = {
            word: score
            for word, score, _i in process.extract(
                typed, self._vocabulary, scorer=fuzz.ratio, limit=None, score_cutoff=75
            )
        }
        starts = [word[: len(typed) + 1] for word in self._vocabulary]
        for _start, score, i in process.extract(typed, starts, scorer=fuzz.ratio, limit=None, score_cutoff=80):
            word = self._vocabulary[i]
            similar[word] = max(similar.get(word, 0.0), score - 5)  # a whole word beats the start of one
        for word in self._vocabulary:
            if typed in word:
                similar[word] = 100.0
        return similar
