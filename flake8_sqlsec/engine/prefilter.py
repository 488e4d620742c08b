"""The text prefilter: which lines of a file call a name of interest or hold SQL-looking
text, found with a few scans of the source rather than walks of the tree."""

from __future__ import annotations

import ast
import bisect
import functools
import itertools
import re
from typing import Callable, Dict, Iterable, List, Sequence, Set, Tuple

# An identifier followed by "(", read backwards: on the reversed text the expression starts
# with a literal "(", which the regex engine finds at C speed, so one pass over a file lists
# every called name without trying an expression at each character.
_REVERSED_CALL = re.compile(r"\(\s*(\w+)")
_ARGUMENT_START = re.compile(r"[(,]\s*$")
# What follows the "(" of a call without arguments: an SQL, clause or engine call with
# none (``connection.cursor()``, ``order_by()``) has nothing a finding could be about.
_NO_ARGUMENTS = re.compile(r"\s*\)")
# What follows the "(" of a call without a positional argument: ")", "**", or "name=".
_NO_POSITIONAL = re.compile(r"\s*(?:\)|\*\*|[A-Za-z_]\w*\s*=(?!=))")
_DICT_UNPACK = re.compile(r"\*\*\s*\{")


def spans(functions: Sequence[ast.AST]) -> List[Tuple[int, int, int]]:
    """(first line, last line, id) of each function, sorted, for ``functions_holding``."""
    return sorted(
        (node.lineno, node.end_lineno or node.lineno, id(node)) for node in functions  # type: ignore[attr-defined]
    )


def functions_holding(spans: Sequence[Tuple[int, int, int]], lines: Sequence[int]) -> Tuple[Set[int], bool]:
    """The ids of the functions whose lines hold one of ``lines``, and whether one of
    ``lines`` is outside every function. ``spans`` are the functions' (first line, last
    line, id), sorted. The functions do not nest (the index does not enter function
    bodies), so each line falls in at most one: found by bisection, per marked line rather
    than per function, as most functions hold none."""
    starts = [start for start, _, _ in spans]
    found: Set[int] = set()
    outside = False
    for line in lines:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= spans[index][1]:
            found.add(spans[index][2])
        else:
            outside = True
    return found, outside


def outside_docstrings(
    spans: Sequence[Tuple[int, int, int]], functions: Sequence[ast.AST], module: ast.AST, lines: Sequence[int]
) -> List[int]:
    """``lines`` without those inside the docstring of the module or of the function
    holding them (``spans`` as for ``functions_holding``)."""
    by_id = {id(node): node for node in functions}
    starts = [start for start, _, _ in spans]
    module_doc = _docstring_lines(module)
    kept = []
    for line in lines:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= spans[index][1]:
            first, last = _docstring_lines(by_id[spans[index][2]])
        else:
            first, last = module_doc
        if not first <= line <= last:
            kept.append(line)
    return kept


@functools.lru_cache(maxsize=8)
def _reversed_names(names: frozenset) -> frozenset:
    return frozenset(name[::-1] for name in names if name.isidentifier())


def _after_dot(backwards: str, index: int) -> bool:
    """Whether, in the reversed text, what comes at ``index`` (before the called name in
    the file) is a ``.``, blanks and line continuations left out."""
    length = len(backwards)
    while index < length and backwards[index] in " \t\r\n\\":
        index += 1
    return index < length and backwards[index] == "."


@functools.lru_cache(maxsize=256)
def _reversed_calls_of(reversed_names: frozenset) -> "re.Pattern[str]":
    alternatives = "|".join(map(re.escape, sorted(reversed_names, key=len, reverse=True)))
    return re.compile(r"\(\s*(" + alternatives + r")(?!\w)")


def in_comment(source: str, position: int) -> bool:
    """Whether a "#" before ``position`` on its line starts a comment (no quote before it
    on the line: a "#" inside a string literal is not taken for one)."""
    line_start = source.rfind("\n", 0, position) + 1
    hash_at = source.find("#", line_start, position)
    if hash_at < 0:
        return False
    before = source[line_start:hash_at]
    return "'" not in before and '"' not in before


def _docstring_lines(node: ast.AST) -> Tuple[int, int]:
    """The lines of a function's or module's docstring ((0, -1) if it has none)."""
    body = getattr(node, "body", None)
    if body and isinstance(body[0], ast.Expr):
        value = body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return body[0].lineno, body[0].end_lineno or body[0].lineno
    return 0, -1


@functools.lru_cache(maxsize=16)
def _keyword_pattern(word: str) -> "re.Pattern[str]":
    # ``word=`` passed as an argument (not ``word = ...`` statements, not ``=None``)
    return re.compile(re.escape(word) + r"\s*=(?!=)(?!\s*None\b)")


def keyword_positions(source: str, word: str) -> List[int]:
    """Where a ``word=`` keyword argument is passed."""
    return [
        index
        for index in positions(source, (word,), _keyword_pattern(word))
        if _ARGUMENT_START.search(source, max(0, index - 80), index)
    ]


def positions(source: str, words: Iterable[str], pattern: "re.Pattern[str]") -> List[int]:
    """Where ``pattern`` matches in ``source``, tried only where one of ``words`` starts:
    str.find() skips ahead at C speed, which an expression opening with ``\\b`` cannot."""
    found = []
    match = pattern.match
    for word in words:
        index = source.find(word)
        while index >= 0:
            if match(source, index):
                found.append(index)
            index = source.find(word, index + 1)
    return found


def word_at(source: str, words: Iterable[str], pattern: "re.Pattern[str]") -> bool:
    """Whether ``pattern`` matches where one of ``words`` starts a word (no name character
    before it), as ``\\b(?:pattern)`` would, found with str.find()."""
    match = pattern.match
    for word in words:
        index = source.find(word)
        while index >= 0:
            before = source[index - 1] if index else " "
            if not (before.isalnum() or before == "_") and match(source, index):
                return True
            index = source.find(word, index + 1)
    return False


# A candidate name is a called name (``execute``), a keyword argument (``template=``) or
# ``**{`` (a dict display unpacked into a call).
DICT_UNPACK = "**{"


@functools.lru_cache(maxsize=64)
def _keywords(names: frozenset) -> Tuple[str, ...]:
    return tuple(sorted(name[:-1] for name in names if name.endswith("=") and name[:-1].isidentifier()))


@functools.lru_cache(maxsize=64)
def candidate_pattern(names: frozenset) -> "re.Pattern[str]":
    """Finds a call of one of ``names``, or the keyword or unpacking among them."""
    words = sorted(name for name in names if name.isidentifier())
    parts = []
    if words:
        parts.append(r"\b(?:" + "|".join(map(re.escape, words)) + r")\s*\(")
    for word in _keywords(names):
        parts.append(r"[(,]\s*" + re.escape(word) + r"\s*=(?!=)(?!\s*None\b)")
    if DICT_UNPACK in names:
        parts.append(r"\*\*\s*\{")
    return re.compile("|".join(parts) or r"(?!x)x")


def interesting_lines(
    source: str,
    lines: Sequence[str],
    groups: Sequence[frozenset],
    text_finders: Sequence[Callable[[str], List[int]]],
    positional: frozenset = frozenset(),
    methods: frozenset = frozenset(),
) -> List[List[int]]:
    """For each group of candidate names, the sorted numbers of the lines that call one of
    them (for the first group, with an argument; a name of ``positional`` with a
    positional one; a name of ``methods`` as a method, ``x.name(``), and last, when there
    are ``text_finders``, the lines where one of them finds text worth following."""
    positions: List[List[int]] = [[] for _ in groups]
    wanted: Dict[str, int] = {}
    for index in reversed(range(len(groups))):
        wanted.update(dict.fromkeys(_reversed_names(groups[index]), index))
    if wanted:
        backwards = source[::-1]
        # Which names are called at all (one C-level pass), then where (a second pass
        # that stops only at those names; most files call a few of them).
        called = wanted.keys() & set(_REVERSED_CALL.findall(backwards))
        if called:
            end = len(source)
            keyword_only = _reversed_names(positional) if positional else frozenset()
            method_only = _reversed_names(methods) if methods else frozenset()
            no_positional, no_arguments = _NO_POSITIONAL.match, _NO_ARGUMENTS.match
            for match in _reversed_calls_of(frozenset(called)).finditer(backwards):
                name = match.group(1)
                group = wanted[name]
                # end - match.start() is where the call's arguments start in the source
                arguments = end - match.start()
                if group == 0 and (
                    no_arguments(source, arguments)
                    or (name in keyword_only and no_positional(source, arguments))
                    or (name in method_only and not _after_dot(backwards, match.end(1)))
                ):
                    continue
                positions[group].append(end - match.end(1))
    for index, names in enumerate(groups):
        for word in _keywords(names):
            positions[index].extend(keyword_positions(source, word))
        if DICT_UNPACK in names and "**" in source:
            positions[index].extend(match.start() for match in _DICT_UNPACK.finditer(source))
    if text_finders:
        positions.append([position for finder in text_finders for position in finder(source)])
    starts: List[int] = []
    result = []
    for found in positions:
        if found and not starts:
            starts = [0, *itertools.accumulate(map(len, lines))]
        result.append(sorted({bisect.bisect_right(starts, position) for position in found}))
    return result


def callers_of(
    names: Iterable[str], functions: Sequence[ast.AST], source: str, lines: Sequence[str]
) -> Tuple[Set[int], bool]:
    """The ids of the functions whose text calls one of ``names``, and whether a line
    outside every function does: one search of the file (``lines`` must be given)."""
    pattern = candidate_pattern(frozenset(names))
    starts = [0, *itertools.accumulate(map(len, lines))]
    found = sorted({bisect.bisect_right(starts, match.start()) for match in pattern.finditer(source)})
    return functions_holding(spans(functions), found)
