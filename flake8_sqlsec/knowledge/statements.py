"""Does a text (with holes for unknown parts) have the shape of a SQL statement?

Precision matters more than anything here: "Please select from the menu", "Update your
profile" and "Deleted from the cart: 3 items" are prose, not SQL. A statement is accepted
only when its keywords stand in a real statement order with identifiers where SQL puts
them. An identifier that is an English function word ("the", "it", "your") is what
prose puts there, but also a legal table name: it is accepted only when the clause after
it is SQL's own (``FROM it WHERE x = 1``, ``UPDATE it SET a = 1``, ``INTO this (a)``).
"""

from __future__ import annotations

import re
from typing import Optional, Tuple
from functools import lru_cache

# The mark the analysis puts in a text for a part it does not know (a parameter, a call
# result): a character that no SQL statement contains.
HOLE = "\ufffc"

# A hole may stand for an identifier, a list of them, or a whole clause.
_IDENT = r"(?:[A-Za-z_][\w$]*|\$\{?\w+\}?|\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|\ufffc|\{\w*\}|%\(\w+\)s|%s|:\w+)"
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}}"

# English words that are never table or column names in a statement, but follow
# "select"/"update"/"from" in prose.
_PROSE_WORDS = frozenset("""
a an the your my our their his her its this that these those some any each every no
which what who whom whose one ones all both either neither another other others it
them him me us you we they there here
""".split())

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/|#[^\n{]*$", re.S | re.M)
_SPACE = re.compile(r"\s+")
# A sentence's label just before a statement (``Query: SELECT ...``): SQL puts no
# ``word:`` there, a message that shows the statement does.
_LABELLED = re.compile(r"[A-Za-z]\w*:\s*$")
_FIRST_KEYWORD = re.compile(r"\b(?:select|with|insert|update|delete|merge|create|alter|drop|explain)\b", re.I)

_STATEMENTS = [
    # SELECT <list> FROM <table>
    re.compile(
        rf"\bselect\s+(?:distinct\s+|all\s+|top\s+\d+\s+)?(?P<list>.+?)\s+from\s+(?P<ident>{_QUALIFIED}|\()",
        re.I | re.S,
    ),
    # SELECT FROM <table>: an empty select list (PostgreSQL); upper case only, as prose
    # says "select from the menu"
    re.compile(rf"\bSELECT\s+FROM\s+(?P<ident>{_QUALIFIED}|\()"),
    # INSERT INTO t (...) / VALUES / SELECT / SET / DEFAULT VALUES
    re.compile(
        rf"\b(?:insert|replace|upsert)\s+(?:or\s+\w+\s+|ignore\s+)?into\s+(?P<ident>{_QUALIFIED})\s*(?:\(|values\b|value\b|select\b|set\b|default\b|\ufffc|$|\{{|%s|--)",
        re.I,
    ),
    # UPDATE t SET col =
    re.compile(
        rf"\bupdate\s+(?:only\s+)?(?P<ident>{_QUALIFIED})(?:\s+(?:as\s+)?\w+)?\s+set\s+(?:{_QUALIFIED}\s*=|\ufffc|\{{)",
        re.I,
    ),
    # DELETE FROM t [WHERE|USING|RETURNING|;|end|hole]
    re.compile(
        rf"\bdelete\s+from\s+(?:only\s+)?(?P<ident>{_QUALIFIED})\s*(?:$|;|where\b|using\b|returning\b|as\b|\ufffc|\{{|\w+\s+where\b)",
        re.I,
    ),
    # MERGE INTO t USING
    re.compile(rf"\bmerge\s+into\s+(?P<ident>{_QUALIFIED}).*?\busing\b", re.I | re.S),
    # CREATE [OR REPLACE] [TEMP...] TABLE|VIEW|INDEX ... name ( | AS | ON | hole | end
    re.compile(
        rf"\bcreate\s+(?:or\s+replace\s+)?(?:(?:global|local|temporary|temp|unique|unlogged|materialized|virtual|recursive)\s+)*(?:table|view|index|database|schema|sequence|trigger|function|procedure|type|extension|role|user)\s+(?:if\s+not\s+exists\s+|concurrently\s+)?(?P<ident>{_QUALIFIED})\s*(?:\(|as\b|on\b|using\b|with\b|owner\b|returns\b|before\b|after\b|instead\b|$|;|\ufffc|\{{)",
        re.I,
    ),
    # ALTER TABLE t ADD|DROP|...
    re.compile(
        rf"\balter\s+(?:table|index|view|database|schema|sequence|role|user|type|column)\s+(?:if\s+exists\s+|only\s+)?(?P<ident>{_QUALIFIED})\s+(?:add|drop|rename|alter|modify|change|set|owner|reset|attach|detach|enable|disable|validate|inherit|no|with|cluster|\ufffc)\b",
        re.I,
    ),
    # DROP TABLE [IF EXISTS] t
    re.compile(
        rf"\bdrop\s+(?:table|view|index|database|schema|sequence|trigger|function|procedure|type|extension|role|user|materialized\s+view)\s+(?:if\s+exists\s+)?(?P<ident>{_QUALIFIED})\s*(?:$|;|cascade\b|restrict\b|,|\ufffc|on\b|\{{|\()",
        re.I,
    ),
    # TRUNCATE [TABLE] t
    re.compile(
        rf"\btruncate\s+(?:table\s+)?(?:only\s+)?(?P<ident>{_QUALIFIED})\s*(?:$|;|,|cascade\b|restart\b|continue\b|\ufffc|\{{)",
        re.I,
    ),
    # WITH [RECURSIVE] name [(cols)] AS ( ... SELECT|INSERT|UPDATE|DELETE
    re.compile(
        rf"\bwith\s+(?:recursive\s+)?(?P<ident>{_IDENT})\s*(?:\([^)]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(\s*(?:select|insert|update|delete|values|\ufffc)\b",
        re.I,
    ),
    # SAVEPOINT / RELEASE / ROLLBACK TO
    re.compile(
        rf"^\s*(?:savepoint|release\s+savepoint|rollback\s+to\s+savepoint|release)\s+(?P<ident>{_IDENT})\s*;?\s*$", re.I
    ),
    # GRANT ... ON ... TO / REVOKE ... ON ... FROM
    re.compile(
        rf"\b(?:grant|revoke)\s+(?:all|select|insert|update|delete|usage|execute|connect|create|references|trigger|temporary|temp)\b[\w\s,()]*?\bon\s+(?:table\s+|schema\s+|database\s+|sequence\s+|function\s+)?(?P<ident>{_QUALIFIED})\s+(?:to|from)\b",
        re.I,
    ),
    # PL/SQL and T-SQL blocks that start the text: [DECLARE ...] BEGIN <statements>; END
    re.compile(r"^\s*(?:declare\b.+?\bbegin|begin)\s+\S.*?;\s*end\b\s*(?:\w+\s*)?(?:;|$)", re.I | re.S),
    # T-SQL and PL/SQL: DECLARE @v TYPE, EXEC proc @p = ..., EXEC(@sql), EXECUTE IMMEDIATE
    re.compile(
        rf"^\s*(?:declare\s+@\w+\s+\w+|exec(?:ute)?\s+{_QUALIFIED}\s+@\w+\s*=|exec(?:ute)?\s*\(\s*@\w+\s*\)|execute\s+immediate\b)",
        re.I,
    ),
    # Statements that start the text and name an object: PRAGMA, VACUUM, ANALYZE, COPY, CALL, EXEC, SET, SHOW, LOCK, DECLARE
    re.compile(
        rf"^\s*(?:pragma\s+(?P<ident>{_QUALIFIED})\s*(?:=|\(|;|$)|copy\s+(?P<ident2>{_QUALIFIED})\s*(?:\([^)]*\)\s*)?(?:from|to)\b|call\s+(?P<ident3>{_QUALIFIED})\s*\(|exec(?:ute)?\s+(?:sp_|xp_|dbo\.)\w*|lock\s+table\s+{_QUALIFIED}|set\s+(?:session\s+|local\s+|global\s+)?(?:\w+\.)?\w+\s*(?:=|to\b)|show\s+(?:tables|databases|columns|index|create|variables|status|search_path|\w+\s*;?\s*$)|vacuum(?:\s+(?:full|analyze|verbose))*\s*(?:{_QUALIFIED})?\s*;?\s*$|analyze\s+{_QUALIFIED}\s*;?\s*$|explain\s+(?:analyze\s+|verbose\s+|query\s+plan\s+)*(?:select|insert|update|delete|with)\b)",
        re.I,
    ),
]

_SELECT_ITEM = re.compile(
    rf"""^(?:
        \*|{_QUALIFIED}\s*\.\s*\*|
        {HOLE}|
        (?:{_QUALIFIED}|\d+(?:\.\d+)?|'[^']*'|{HOLE}|[\w.]+\s*\(.*\)|\(.*\)|case\b.*\bend|(?:distinct|all)\s+{_QUALIFIED}|-?\s*{_QUALIFIED}\s*[-+*/|]+\s*.+)
        (?:\s*::\s*\w+)?(?:\s+(?:as\s+)?{_IDENT})?
    )$""",
    re.I | re.X | re.S,
)


def _split_list(text: str):
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            yield text[start:i]
            start = i + 1
    yield text[start:]


def _is_select_list(items: str) -> bool:
    items = items.strip()
    if not items or len(items) > 2000:
        return False
    for item in _split_list(items):
        item = item.strip()
        if not item or not _SELECT_ITEM.match(item):
            return False
        words = item.lower().split()
        if len(words) > 1 and words[0] in _PROSE_WORDS:
            return False
    return True


def _is_prose_ident(ident: str) -> bool:
    word = ident.strip().lower()
    return word in _PROSE_WORDS and word != "a"  # "a" is also a common alias


# What SQL, and not a sentence, puts after a table name: an optional alias, then a
# condition with an operator, SET col =, VALUES (, a column list before VALUES/SELECT, a
# column definition, a join, ORDER/GROUP BY, LIMIT n, RETURNING or a semicolon.
_CLAUSE_WORDS = r"(?:where|set|values?|join|inner|left|right|full|cross|natural|order|group|limit|returning|on|using)\b"
_CONFIRMING_TAIL = re.compile(
    rf"""\s*(?:(?:as\s+)?(?!{_CLAUSE_WORDS}){_IDENT}\s+)?
    (?:where\s+(?:not\s+)?(?:\ufffc|\(|(?P<operand>{_QUALIFIED})\s*(?:=|<|>|!=|in\b|is\b|like\b|ilike\b|between\b))
      |set\s+{_QUALIFIED}\s*=
      |values?\s*\(
      |\(\s*{_QUALIFIED}(?:\s*,\s*{_QUALIFIED})*\s*\)\s*(?:values?|select|default)\b
      |\(\s*{_QUALIFIED}\s+[a-z]\w*(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?\s*(?:,|\)|primary\b|not\b|null\b|unique\b|default\b|references\b)
      |(?:(?:inner|left|right|full|cross|natural)\s+)?(?:outer\s+)?join\s+{_QUALIFIED}
      |(?:order|group)\s+by\s+(?:{_QUALIFIED}|\d|\?|\$\d)
      |limit\s+(?:\d|\ufffc|%s|\?|\$\d|:\w)
      |returning\s
      |;
    )""",
    re.I | re.X,
)


def _confirmed_by_clause(text: str, end: int) -> bool:
    """Does SQL structure follow the identifier that ends at ``end``?"""
    tail = _CONFIRMING_TAIL.match(text, end)
    if tail is None:
        return False
    operand = tail.group("operand")
    return operand is None or not _is_prose_ident(operand)


# Unbounded, like world.names.canonical: a dict of strings to booleans, not tracked by
# the garbage collector; ``analysis.release`` empties it should it ever grow large.
@lru_cache(maxsize=None)
def looks_like_sql(text: str) -> bool:
    """True when ``text`` contains a SQL statement (holes stand for unknown parts)."""
    if len(text) < 6 or not any(ch.isalpha() for ch in text):
        return False
    cleaned = _SPACE.sub(" ", _COMMENTS.sub(" ", text[:20000])).strip()
    first = _FIRST_KEYWORD.search(cleaned)
    if first is not None and _LABELLED.search(cleaned, 0, first.start()):
        return False  # "Test failed. Query: SELECT ...": a message that shows a statement
    for pattern in _STATEMENTS:
        for match in pattern.finditer(cleaned):
            group = next((k for k in ("ident", "ident2", "ident3") if match.groupdict().get(k)), None)
            if group is not None and _is_prose_ident(match.group(group)):
                if not _confirmed_by_clause(cleaned, match.end(group)):
                    continue
            if "list" in match.groupdict() and match.group("list") is not None:
                if not _is_select_list(match.group("list")):
                    continue
                if _prose_case(match.group(0)):
                    continue
            elif _prose_case(match.group(0)):
                continue
            return True
    return False


def _prose_case(fragment: str) -> bool:
    """'Select one from' / 'Update the' style: a capitalised keyword followed by
    lower-case keywords reads as a sentence; SQL is written in one case."""
    words = re.findall(r"[A-Za-z]+", fragment)
    if not words:
        return False
    first = words[0]
    if first.isupper() or first.islower():
        return False
    # Capitalised first word: accept only when the other keywords are upper case.
    keywords = [w for w in words[1:] if w.lower() in _KEYWORDS]
    return not keywords or not all(w.isupper() for w in keywords)


_KEYWORDS = frozenset("from into set where values table view index using on to as join order group by".split())


# Where SQL puts a name: after FROM, JOIN, INTO, UPDATE, TABLE, BY..., or before ".col".
_NAME_BEFORE = re.compile(
    r"(?:\b(?:from|join|into|update|table|exists|only|by|select|distinct)\s+|,\s*|\.\s*)[\"`\[]?$", re.I
)
_NAME_AFTER = re.compile(r"^[\"`\]]?\s*(?:\.|,|\s+(?:as\s+)?\w+\s*(?:,|$|where\b|join\b|on\b|set\b)|$|\s*\(|\s+(?:where|set|join|on|order|group|limit|values|from|asc|desc)\b)", re.I)
_IN_QUOTES = re.compile(r"'[^']*$")


def holes_are_names(text: str) -> bool:
    """True when every unknown part of ``text`` stands where SQL puts a table or column
    name (``FROM {table}``, ``ORDER BY {column}``), none where it puts a value."""
    if HOLE not in text:
        return False
    start = 0
    while True:
        at = text.find(HOLE, start)
        if at < 0:
            return True
        before, after = text[max(0, at - 80) : at], text[at + 1 : at + 81]
        if _IN_QUOTES.search(before) or not _NAME_BEFORE.search(before) or not _NAME_AFTER.search(after):
            return False
        start = at + 1


# Names that say a value is SQL text itself, not a value put into SQL: ``sql + " LIMIT 1"``.
_SQL_TEXT_NAME = re.compile(
    r"(?:^|_)(?:sql|query|queries|stmt|statement|select|clause|where|cond|conds|condition|conditions|"
    r"filter|filters|order|order_by|fragment|ddl|dml|script|base|cmd|command|q|qs)(?:$|_)|sql|query|stmt",
    re.IGNORECASE,
)


def names_sql_text(name: str) -> bool:
    return bool(_SQL_TEXT_NAME.search(name))


# A stored format template named as a statement (``self.insert_statement_format``,
# ``UPDATE_SQL_TEMPLATE``, ``cfg.select_query``): what its unseen text stands for, by the
# statement verb the name holds.
_STORED_TEMPLATE_NAME = re.compile(r"sql|query|stmt|statement", re.IGNORECASE)
_TEMPLATE_WORD = re.compile(r"format|template|fmt|tmpl", re.IGNORECASE)  # not a statement object
_STAND_INS = (
    (re.compile(r"insert|replace|upsert|merge", re.IGNORECASE), "INSERT INTO \ufffc \ufffc VALUES (\ufffc)"),
    (re.compile(r"update", re.IGNORECASE), "UPDATE \ufffc SET \ufffc"),
    (re.compile(r"delete", re.IGNORECASE), "DELETE FROM \ufffc"),
)
_DEFAULT_STAND_IN = "SELECT \ufffc FROM \ufffc"


def stored_template_text(name: str) -> Optional[str]:
    """The text an unseen template stands for, when its name says it is a statement."""
    if not (_STORED_TEMPLATE_NAME.search(name) and _TEMPLATE_WORD.search(name)):
        return None
    for verb, text in _STAND_INS:
        if verb.search(name):
            return text
    return _DEFAULT_STAND_IN


# Source text that may hold SQL worth following (for SQL102; the prefilter looks for it): statement keywords in upper
# case, or lower-case statement openings.
SQL_TEXT_HINT = re.compile(
    r"\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|MERGE|PRAGMA|EXPLAIN|GRANT|REVOKE|"
    r"SAVEPOINT|VACUUM|UPSERT|REPLACE INTO|BEGIN|DECLARE|EXEC)\b|\bselect\b[^\n]*\bfrom\b|\binsert\s+into\b|"
    r"\bupdate\s+[\w{%$\"`]+\s+set\b|\bdelete\s+from\b|\b(?:create|drop|alter|truncate)\s+table\b"
)


# Where to try the expression above. Upper-case statement words are found with one
# alternation of literals (the engine skips ahead on their first letters, faster than a
# str.find() pass per word); lower-case ones with str.find(), which skips ahead at C speed
# where an expression opening with ``\b`` tries every character. "create", "drop", "alter"
# and "truncate" count only before "table": that rarer word is found, then looked back from.
SQL_UPPER_WORDS = re.compile(
    "SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|MERGE|PRAGMA|EXPLAIN|GRANT|REVOKE|"
    "SAVEPOINT|VACUUM|UPSERT|REPLACE INTO|BEGIN|DECLARE|EXEC"
)
SQL_LOWER_WORDS = ("select", "insert", "update", "delete")
TABLE_VERB = re.compile(r"\b(?:create|drop|alter|truncate)\s+$")


# A statement that reads no table: it asks the server about itself (its connection id,
# backend pid, session, version, clock) and the answer is the server's own.
_SERVER_QUESTION = re.compile(r"\s*select\s+(?:(?!\bfrom\b|\binto\b|;)[^\ufffc])+", re.I)
# ... or one that hands back only the key the server generated for a new row.
_GENERATED_KEY = re.compile(r"\s*insert\b[^;\ufffc]*\breturning\s+\w*id\s*;?\s*", re.I)


def answers_from_server(text: str) -> bool:
    """Whether the answer to this constant statement is the server's own
    (``SELECT CONNECTION_ID()``, ``INSERT ... RETURNING id``)."""
    text = _COMMENTS.sub(" ", text).rstrip().rstrip(";")
    return bool(_SERVER_QUESTION.fullmatch(text) or _GENERATED_KEY.fullmatch(text))


# Text that takes a whole statement after it: ``EXPLAIN``, with its options in the forms
# PostgreSQL, MySQL, SQLite, Trino and Presto write them.
_STATEMENT_PREFIX = re.compile(
    r"\s*explain(?:\s+(?:analy[sz]e|verbose|extended|query\s+plan|format\s*=\s*\w+|\([^()\ufffc]*\)))*\s+", re.I
)


def takes_statement(prefix: str) -> bool:
    """Whether constant text put before a value makes a statement of a statement
    (``f"EXPLAIN {statement}"`` runs what ``statement`` would run by itself)."""
    return bool(_STATEMENT_PREFIX.fullmatch(prefix))


# ``SELECT a, t.b AS c FROM ...``: the select list of a constant statement, and the name
# each of its columns answers with (the alias, or the column's last name).
_ANSWER_LIST = re.compile(r"\s*select\s+(?:distinct\s+)?(?P<list>.+?)\s+from\b", re.I | re.S)
_ANSWER_COLUMN = re.compile(
    r"\s*(?:[A-Za-z_]\w*\s*\.\s*)*(?P<column>[A-Za-z_]\w*)(?:\s+(?:as\s+)?(?P<alias>[A-Za-z_]\w*))?\s*", re.I
)


def selected_columns(text: str) -> Tuple[str, ...]:
    """The names the columns of a constant ``SELECT`` answer with, in order; () when the
    list holds anything but plain (possibly qualified, possibly aliased) columns."""
    match = _ANSWER_LIST.match(text)
    if match is None or HOLE in text:
        return ()
    names = []
    for item in match.group("list").split(","):
        column = _ANSWER_COLUMN.fullmatch(item)
        if column is None:
            return ()
        names.append(column.group("alias") or column.group("column"))
    return tuple(names)
