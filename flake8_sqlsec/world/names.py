"""Names as the knowledge spells them: one canonical qualified name per API, and the kind
of object a receiver is when only its name is known."""

from __future__ import annotations

import functools
import re
from typing import Optional

from ..knowledge.api_names import CANONICAL_PREFIXES, RECEIVER_WORDS, SQLALCHEMY_SUBMODULES


# Unbounded, so the cache is a plain dict of strings, which the garbage collector does not
# track; ``engine.cache.release`` empties it should it ever grow large.
@functools.lru_cache(maxsize=None)
def canonical(qualname: str) -> str:
    for _ in range(4):  # sqlmodel.engine.base.X -> sqlalchemy.engine.base.X -> sqlalchemy.engine.X
        for prefix, replacement in CANONICAL_PREFIXES:
            if qualname.startswith(prefix):
                qualname = replacement + qualname[len(prefix) :]
                break
        else:
            break
    if qualname.startswith("sqlalchemy."):
        # sqlalchemy.sql.expression.text, sqlalchemy.expression.text ... are sqlalchemy.text
        parts = qualname.split(".")
        while len(parts) > 2 and parts[1] in SQLALCHEMY_SUBMODULES:
            del parts[1]
        qualname = ".".join(parts)
    return qualname


_WORD_SPLIT = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def kind_from_receiver_name(name: str) -> Optional[str]:
    """``cursor``, ``self.read_conn``, ``dbCursor``: the last word of the name decides."""
    words = [w.lower() for w in _WORD_SPLIT.findall(name)]
    if not words:
        return None
    if name.lower() in RECEIVER_WORDS:
        return RECEIVER_WORDS[name.lower()]
    return RECEIVER_WORDS.get(words[-1])
