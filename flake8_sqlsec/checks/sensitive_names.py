"""Names of sensitive values: which identifiers name a secret or database connection details.

Identifiers are split into words (``db_password``, ``dbPassword``, ``DB_PASSWORD`` and
``dbpassword`` are all ``db password``) and judged on the words, never on substrings, so
``tokenizer`` and ``bypass`` are not secrets. Words that say the value is only about a
secret are excluded: its count or length (``token_count``, ``num_tokens``), its kind
(``token_type``), a pagination cursor (``page_token``, ``next_token``), its name, id or
location (``secret_name``, ``secret_arn``, ``api_key_id``, ``password_reset_url``), a rule
about it (``password_policy``), a flag (``has_password``, ``is_token_valid``) or a hashed
or masked form (``password_hash``, ``hashed_password``, ``masked_token``).

``classify()`` answers ``SECRET`` (SQL301), ``CONNECTION`` (SQL302) or None.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Optional, Pattern, Sequence, Set, Tuple

from ..knowledge.about_secret_words import (
    COOKIE_META,
    HASHED,
    META_ANY,
    META_FIRST,
    META_LAST,
    PREPOSITIONS,
    TOKEN_META,
    VALUE_TAIL,
)
from ..knowledge.secret_words import (
    AUTH_QUALIFIERS,
    BROKER_WORDS,
    CARD_NUMBER,
    COMPOUND_STEMS,
    DB_WORDS,
    KEY_QUALIFIERS,
    PASS_QUALIFIERS,
    RULE_WORDS,
    SECRET_WORDS,
    TOKENS_QUALIFIERS,
)

SECRET = "secret"
CONNECTION = "connection"

_CHUNKS = re.compile(r"[A-Za-z0-9]+")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


_TOKEN_PARTS = re.compile(r"[.-]+")


def words(identifier: str) -> Tuple[str, ...]:
    """``DB_PASSWORD`` -> (db, password); ``apiKey`` -> (api, key); ``X-Auth-Token`` -> (x, auth, token)."""
    result = []
    for chunk in _CHUNKS.findall(identifier):
        for word in _WORDS.findall(chunk):
            result.append(word.lower())
    return tuple(_split_compounds(result))


def _split_compounds(parts: Sequence[str]) -> Iterable[str]:
    for part in parts:
        if len(part) >= 5 and part not in SECRET_WORDS:
            for stem in COMPOUND_STEMS:
                if part.endswith(stem) and len(part) - len(stem) >= 2:
                    prefix = part[: -len(stem)]
                    if stem in ("dsn", "url", "uri", "string", "str") and prefix not in DB_WORDS:
                        continue
                    if stem == "key" and prefix not in KEY_QUALIFIERS:
                        continue
                    yield prefix
                    yield stem
                    break
            else:
                yield part
        else:
            yield part


def _secret(w: Tuple[str, ...]) -> bool:
    for index, word in enumerate(w):
        if word in ("token", "tokens"):
            if any(other in TOKEN_META for other in w[:index]):
                continue  # page_token, input_tokens, end_token (after it, the last word decides)
            if word == "tokens" and not any(other in TOKENS_QUALIFIERS for other in w[:index]):
                continue
            return True
        if word in ("cookie", "cookies"):
            if any(other in COOKIE_META for other in w):
                continue
            return True
        if word in SECRET_WORDS:
            return True
        if word in ("key", "keys") and index > 0 and w[index - 1] in KEY_QUALIFIERS:
            return True
        if word in ("pw", "pword") and index == len(w) - 1:
            return True
        if word == "pass" and index == len(w) - 1 and index > 0 and w[index - 1] in PASS_QUALIFIERS:
            return True
        if word == "auth" and index == len(w) - 1 and index > 0 and w[index - 1] in AUTH_QUALIFIERS:
            return True
        if word in ("header", "headers") and index > 0 and w[index - 1] in ("auth", "authorization", "cookie"):
            return True
        following = w[index + 1] if index + 1 < len(w) else ""
        if word in ("card", "credit") and (following in CARD_NUMBER or "credit" in w and "card" in w):
            return True
        if word in ("cc", "ccn") and (following in CARD_NUMBER or w == ("ccn",)):
            return True
        if word == "security" and index + 1 < len(w) and w[index + 1] == "code":
            return True
        if word == "social" and index + 1 < len(w) and w[index + 1] == "security":
            return True
    return False


def _connection(identifier: str, w: Tuple[str, ...]) -> bool:
    if identifier == "DATABASES":  # Django's settings.DATABASES, passwords included
        return True
    has_db = any(word in DB_WORDS or word in BROKER_WORDS for word in w)
    for word in w:
        if word in ("dsn", "dsns"):
            return True
        if word in ("url", "uri", "urls", "uris") and has_db:
            return True
        if word in ("string", "str") and ("conn" in w or "connection" in w):
            return True
    return False


class NameMatcher:
    """Classifies identifiers, with the user's patterns; answers are cached."""

    def __init__(self, sensitive: Sequence[Pattern[str]] = (), safe: Sequence[Pattern[str]] = ()) -> None:
        self.sensitive = tuple(sensitive)
        self.safe = tuple(safe)
        self._cache: Dict[str, Optional[str]] = {}
        self._mentions: Dict[str, bool] = {}
        # Tokens of source text known to be no sensitive name: most of any function's
        # text, set aside with one set difference.
        self._clean: Set[str] = set()

    def classify(self, identifier: str) -> Optional[str]:
        try:
            return self._cache[identifier]
        except KeyError:
            pass
        result = self._classify(identifier)
        if len(self._cache) < 20000:
            self._cache[identifier] = result
        return result

    def any_mentioned(self, tokens: Set[str]) -> bool:
        """Whether one of these runs of name characters is sensitive (see ``mentions``)."""
        fresh = tokens - self._clean
        if not fresh:
            return False
        for token in fresh:
            if self.mentions(token):
                return True
        if len(self._clean) < 50000:
            self._clean |= fresh
        return False

    def mentions(self, token: str) -> bool:
        """Whether a run of name characters from source text (``self.db_password``,
        ``X-Auth-Token``) or one of its dotted or hyphenated parts is sensitive."""
        known = self._mentions.get(token)
        if known is None:
            known = self.classify(token) is not None or any(
                self.classify(part) is not None for part in _TOKEN_PARTS.split(token) if part and part != token
            )
            if len(self._mentions) < 50000:
                self._mentions[token] = known
        return known

    def _classify(self, identifier: str) -> Optional[str]:
        if not identifier or len(identifier) > 80:
            return None
        if any(p.search(identifier) for p in self.safe):
            return None
        if any(p.search(identifier) for p in self.sensitive):
            return SECRET
        return classify_builtin(identifier)


# Every name the rules above call sensitive contains one of these (case aside): a secret
# word, or the word one of the rules needs; a longer word holding another is left out.
# Most names hold none, and are answered without being split into words. The expression
# is tried on the lower-cased name: an alternation of literals is many times faster
# than the same expression with re.IGNORECASE.
def _trigger_pattern(triggers: Iterable[str]) -> Pattern[str]:
    found = {word.lower() for word in triggers}
    kept = sorted(word for word in found if not any(other != word and other in word for other in found))
    return re.compile("|".join(map(re.escape, kept)))


_TRIGGERS = _trigger_pattern(SECRET_WORDS | RULE_WORDS)


def classify_builtin(identifier: str) -> Optional[str]:
    if not _TRIGGERS.search(identifier.lower()):
        return None
    return _classify_words(identifier)


def _classify_words(identifier: str) -> Optional[str]:
    w = words(identifier)
    while len(w) > 1 and w[-1].isdigit():
        w = w[:-1]  # password2, cvv2, card_last4
    if not w:
        return None
    if len(w) > 1 and w[0] in META_FIRST and "-" not in identifier:
        return None  # set_password(), a setter; but an HTTP header is named with hyphens (Set-Cookie)
    if w[-1] in ("url", "uri", "urls", "uris") and _connection(identifier, w):
        return CONNECTION  # database_url (while password_reset_url is only about a password)
    if len(w) > 1 and w[-1] in META_LAST:
        return None
    if any(word in HASHED or word in META_ANY for word in w):
        return None
    if not _names_the_value(w):
        return None
    if _secret(w):
        return SECRET
    if _connection(identifier, w):
        return CONNECTION
    return None


def _names_the_value(w: Tuple[str, ...]) -> bool:
    last = max((i for i, word in enumerate(w) if word in _MENTIONS), default=-1)
    if last < 0:
        return True
    tail = w[last + 1 :]
    if tail and tail[0] in PREPOSITIONS:
        return True  # token_for_user, password_of_admin
    return all(word in VALUE_TAIL or word.isdigit() for word in tail)


_MENTIONS = SECRET_WORDS | frozenset(("tokens", "key", "keys", "pass", "pw", "card", "credit", "dsn", "url", "uri"))


def mentions_secret(identifier: str) -> bool:
    """Does the name speak of a secret at all (``token_count`` does, ``new_value`` does not)?"""
    return any(word in _MENTIONS for word in words(identifier))


def classify(identifier: str) -> Optional[str]:
    """The built-in answer, without user patterns."""
    return classify_builtin(identifier)
