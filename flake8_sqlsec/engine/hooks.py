"""What a checker family gives the shared pass (``Hook``), and what it gets back (``Finding``).

A hook is told about events (calls, reads, values leaving a function) and answers with
findings and, for the families that follow values, labels on the values. It keeps its own
state for the file on itself (one hook object per file) and never changes the engine's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, List, Mapping, Optional, Tuple

from .calls import CallSite
from .values import Value

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Config
    from .driver import FileAnalysis
    from .interpreter import Interpreter


@dataclass(frozen=True)
class Finding:
    line: int
    col: int  # byte offset in the line, as ast gives it
    code: str
    detail: str
    hint: str = ""  # the fix in the API's own terms; the rule's general hint when empty


class Hook:
    """What a checker family contributes to the shared pass. Subclasses override."""

    family = ""
    codes: Tuple[str, ...] = ()
    # Codes of other families whose findings this one can take over at the same place
    # (SQL201 at a text() that SQL101 would report): the hook runs while any of them is
    # selected, so that deselecting its own codes hides findings and never relabels them.
    supersedes: Tuple[str, ...] = ()
    # Call names (method or function) that make a scope worth interpreting; also
    # ``name=`` (a keyword argument) and ``**{`` (a dict display unpacked into a call).
    candidate_names: frozenset = frozenset()
    # Those of the names whose calls matter only with a positional argument: a call that
    # passes keywords alone (Django's ``filter(field=value)``) does not mark the scope.
    positional_names: frozenset = frozenset()
    # Those of the names that matter only as a method (``query.filter(...)``): a plain
    # call (the builtin ``filter(None, rows)``) does not mark the scope.
    method_names: frozenset = frozenset()
    # Where in a file's text something worth following starts (SQL-looking text): a
    # scope holding it is interpreted too.
    text_positions: Optional[Callable[[str], List[int]]] = None
    # A gated family's names are common (every log call has one): a function marked by
    # them alone runs only if ``worth_running`` says so, after the module body has run.
    gated = False

    def names(self, config: "Config") -> frozenset:
        """The candidate names under this configuration (configured sinks add theirs)."""
        return self.candidate_names

    def on_call(self, analysis: "FileAnalysis", interp: "Interpreter", site: CallSite) -> None:
        return None

    def on_escape(self, analysis: "FileAnalysis", interp: "Interpreter", value: Value, node: ast.AST, how: str) -> None:
        return None

    def finish(self, analysis: "FileAnalysis") -> None:
        return None

    def considers(self, function: ast.AST) -> bool:
        """For a gated family: a function to consider whatever it calls (its decorators
        say what it is: a web route); ``worth_running`` still decides."""
        return False

    def may_run(self, analysis: "FileAnalysis", function: ast.AST) -> bool:
        """For a gated family: False when the function's text alone shows it cannot give
        a finding (asked before the module body runs; ``worth_running`` decides after)."""
        return True

    def worth_running(self, analysis: "FileAnalysis", function: ast.AST) -> bool:
        """For a gated family: could running this function give one of its findings?"""
        return True

    def followed_functions(self) -> Mapping[int, object]:
        """Functions of the file (by ``id`` of their node) whose calls this family now
        judges differently (a parameter reaches a sink): their callers run again, until
        this mapping stops changing."""
        return {}

    def awaiting_callers(self) -> Mapping[int, object]:
        """Functions of the file whose findings wait on what the file's calls of them
        pass (a private helper that builds SQL only from its parameters): their callers
        run again as for ``followed_functions``; ``finish`` then decides."""
        return {}

    # Families that follow what values hold through the pass (the logging checks) say so
    # here; the interpreter then hands them every name, attribute and item read and every
    # call result, and they may return the value with labels added.
    def refines_values(self, config: "Config") -> bool:
        return False

    def refine_read(
        self, analysis: "FileAnalysis", interp: "Interpreter", value: Value, node: ast.AST, identifier: Optional[str]
    ) -> Value:
        return value

    def refine_call(self, analysis: "FileAnalysis", interp: "Interpreter", site: CallSite, value: Value) -> Value:
        return value


HOOKS: List[Callable[[], Hook]] = []


def register_hook(factory: Callable[[], Hook]) -> Callable[[], Hook]:
    HOOKS.append(factory)
    return factory
