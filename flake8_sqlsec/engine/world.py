"""What the engine asks about everything that is not Python itself.

The interpreter knows Python: names, scopes, classes of the file, containers, numbers and
how strings are built. Everything else — that ``sqlite3.connect()`` returns a connection,
that ``cursor.execute`` runs SQL text, that ``logger.info`` only shows text, which names
say "this is SQL text" — it asks a ``World``. This base class knows no library: every
answer is "nothing known", so the engine alone still runs (and the tests of the engine
use it). ``flake8_sqlsec.world.LibraryWorld`` answers from the knowledge tables.

The questions are few and narrow, and none of them changes the engine's state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

from .values import Obj, Ref, Value, imported

if TYPE_CHECKING:  # pragma: no cover
    from .calls import Callee, CallSite
    from .driver import FileAnalysis


class World:
    # ------------------------------------------------------------------ imports
    def canonical(self, qualname: str) -> str:
        """One spelling of a qualified name the world knows under several."""
        return qualname

    def imported(self, qualname: str) -> Value:
        """What ``from module import name`` binds."""
        return imported(qualname)

    def imported_attribute(self, qualname: str, attr: str) -> Value:
        """``module.attr`` (``qualname`` is the module's or the imported object's name)."""
        return imported(self.canonical(qualname + "." + attr))

    def follows_constant(self, qualname: str) -> bool:
        """Whether an imported name may be a constant worth reading from its module (not
        an object the world knows)."""
        return True

    # ------------------------------------------------------------------ objects
    def attribute(self, base: Value, attr: str) -> Optional[Value]:
        """An attribute of a value that is not an import: by the object's kind, or by the
        attribute's name alone (``self.cursor``). None: nothing known."""
        return None

    def receiver_named(self, name: str) -> Optional[Obj]:
        """What a receiver nothing is known about is, judged by its name (``cur``, ``db``)."""
        return None

    def item(self, base: Value) -> Optional[Value]:
        """``base[...]`` for an object of the world."""
        return None

    def iterated(self, value: Value) -> Optional[Value]:
        """What iterating an object of the world gives, when the world knows."""
        return None

    def entered(self, value: Value) -> Optional[Value]:
        """What ``with value as name`` binds, when it is not the value itself."""
        return None

    def annotated(self, qualname: str) -> Optional[Obj]:
        """What a parameter annotated with this name holds."""
        return None

    def authoring_object(self, held: Obj) -> bool:
        """Whether code that uses this object (a module's import) runs only from its
        author's own code, never on a client's request (alembic's ``op`` works only
        inside a migration)."""
        return False

    def authored_parameter(self, method: str, ancestors: Sequence[Ref], name: str, authored: bool) -> Optional[Value]:
        """What a parameter holds when the code's author, not a client, writes its
        arguments: of a method of a class with these ancestors (an Airflow operator's
        constructor, called in a DAG file), or of a function that uses an authoring
        import (``authored``). None: a parameter as any other."""
        return None

    # ------------------------------------------------------------------ calls
    def call_result(self, analysis: "FileAnalysis", site: "CallSite") -> Optional[Value]:
        """The value of a call the world knows (a library function, a method of one of
        its objects, a quoting function). None: the engine's own rules decide."""
        return None

    def statement_run(self, analysis: "FileAnalysis", site: "CallSite") -> Optional[Value]:
        """The text of the statement this call runs on its receiver (``cur.execute(q)``),
        when it runs one."""
        return None

    def answer(self, site: "CallSite", statement: Value) -> Optional[Value]:
        """What this call reads from the answer to the statement its receiver ran last
        (``cur.fetchone()`` after ``SELECT pg_backend_pid()``), when the world knows."""
        return None

    def unpacked(self, names: Sequence[str], called: str, value: Value) -> Optional[Sequence[Value]]:
        """What ``a, b = f(...)`` binds to the names, when they and the name of the
        function called say more than the call's value (a compiler's ``sql, params =
        node.as_sql(...)``). None: the value's elements."""
        return None

    def concatenated(self, values: Sequence[Value]) -> Optional[Value]:
        """The value of ``a + b + ...`` when one operand is an object that composes text
        itself (psycopg's ``sql.Composable``)."""
        return None

    def quotes(self, name: str, method: bool) -> bool:
        """Whether a function (qualified name) or method (its name) quotes or escapes what
        it is given for SQL (``map(quote_ident, names)``)."""
        return False

    def text_class(self, name: str) -> bool:
        """Whether instances of a class of this name (as written, or its last part) are
        text although it is no builtin (markupsafe's ``Markup``, Django's ``SafeString``)."""
        return False

    def never_returns(self, name: str) -> bool:
        """Whether a call of this name never comes back (``abort()``, ``sys.exit()``)."""
        return False

    def shows_only(self, analysis: "FileAnalysis", callee: "Callee") -> bool:
        """Whether a call only shows text to a person (a log line, ``print``)."""
        return False

    # ------------------------------------------------------------------ words
    def names_template(self, name: str) -> bool:
        """Whether a name says its value is the text being built itself (``sql`` in
        ``sql + " LIMIT 1"``) rather than a value put into it."""
        return False

    def takes_statement(self, prefix: str) -> bool:
        """Whether constant text before a value makes a statement of the statement the
        value holds (``EXPLAIN``)."""
        return False

    def escapes_by_replace(self, old: str, new: str) -> bool:
        """Whether ``text.replace(old, new)`` escapes text for SQL (doubling a quote)."""
        return False

    def stored_template(self, name: str) -> Optional[str]:
        """For a format template the analysis cannot see (``self.insert_statement_format``),
        the text its name says it holds, or None."""
        return None

    def reads_as_sql(self, text: str) -> bool:
        """Whether text (with holes for the parts not known) reads as an SQL statement."""
        return False
