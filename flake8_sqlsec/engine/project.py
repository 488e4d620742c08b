"""Facts about the project's other modules, for what one file's tree cannot decide.

Two questions need another module: the text of a constant imported from it
(``from .tables import USERS``) and the ancestry of an exception class defined in it (is
``nova.exception.DBNotAllowed`` a database error?). The other module is found from the
linted file's place among ``__init__.py`` files, never through ``sys.path``, so the answer
does not depend on how or from where flake8 was started. Its source is parsed with ``ast``
— never imported or run — and summarised once per process into strings (``ModuleFacts``);
the tree is dropped once the file that asked is analysed. Keeping trees of other modules alive, as an inference
library's module cache does, made every later garbage collection of the flake8 process
walk them again.

Only modules of the project are read: names of the standard library and files under
``site-packages`` are not followed (their constants are not SQL, and reading them costs).
Each file may read a bounded number of modules; past it, or when a module cannot be read,
the answer is "unknown", never a guess.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib.machinery import PathFinder
from typing import Dict, List, Optional, Sequence, Tuple, Union

from .scopes import dotted_name

# Per linted file: modules read from disk beyond this are "unknown" (facts read earlier
# in the run are always used).
MODULE_BUDGET = 8
# Hops through names and modules when following a constant or a class's bases.
FOLLOW_DEPTH = 6
# Larger modules are not read (generated code; reading it would cost more than it tells).
MAX_MODULE_BYTES = 1_000_000

_STDLIB_NAMES = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(sys.builtin_module_names)
_INSTALLED = re.compile(r"[/\\](?:site|dist)-packages[/\\]")
_STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep

# Files whose analysis read another module, in this process (FLAKE8_SQLSEC_STATS).
STATS = {"files_following_imports": 0}

# A constant's text as read from its module: literal pieces, and (name,) for a name of
# that module whose text goes there (``PREFIX + "log"``, ``f"{SCHEMA}.users"``).
Recipe = Tuple[Union[str, Tuple[str]], ...]


# How a module binds a name at its top level (tuples of strings, nothing else):
#   ("text", recipe)            NAME = "literal" (+ names, f-strings of them)
#   ("from", module, name)      from module import name [as NAME]
#   ("module", module)          import module as NAME (``import a.b`` binds "a" to "a")
#   ("class", base, ...)        class NAME(base, ...): the bases as written, dotted
#   ("other",)                  anything else, or bound twice in different ways
Binding = Tuple[object, ...]
_OTHER: Binding = ("other",)


@dataclass
class ModuleFacts:
    """What one module binds at its top level."""

    name: str
    is_package: bool
    names: Dict[str, Binding] = field(default_factory=dict)


# module file -> its facts (None: unreadable); (directory, module name) -> file or "".
_FACTS: Dict[str, Optional[ModuleFacts]] = {}
_FOUND: Dict[Tuple[str, str], str] = {}
_CACHE_LIMIT = 50_000


def package_of(filename: str) -> Tuple[str, List[str]]:
    """The directory a file's top-level package sits in, and the file's module path
    (``["shop", "views"]``), read from the ``__init__.py`` files above it."""
    directory, name = os.path.split(os.path.abspath(filename))
    parts = [] if name == "__init__.py" else [os.path.splitext(name)[0]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        if not package:
            break
        parts.insert(0, package)
    return directory, parts


@functools.lru_cache(maxsize=4096)
def _real_path(path: str) -> str:
    """``os.path.realpath`` (a system call per part of the path), once per path."""
    return os.path.realpath(path)


def find_module_file(modname: str, roots: Sequence[str]) -> str:
    """The source file of ``modname`` under the first of ``roots`` that has it ("" if none).
    Looked up with the import system's path finder, which reads directories only."""
    parts = modname.split(".")
    if not all(part.isidentifier() for part in parts):
        return ""
    for root in roots:
        key = (root, modname)
        found = _FOUND.get(key)
        if found is None:
            found = _find_under(root, parts)
            if len(_FOUND) > _CACHE_LIMIT:
                _FOUND.clear()
            _FOUND[key] = found
        if found:
            return found
    return ""


def _find_under(root: str, parts: Sequence[str]) -> str:
    search: Optional[List[str]] = [root]
    spec = None
    for part in parts:
        if not search:
            return ""
        try:
            spec = PathFinder.find_spec(part, search)
        except (ImportError, OSError, ValueError):
            return ""
        if spec is None:
            return ""
        locations = spec.submodule_search_locations
        search = list(locations) if locations is not None else None
    origin = spec.origin if spec is not None else None
    return origin if origin and origin.endswith(".py") else ""


# The trees of other modules read for the file being analysed: its facts here and the
# summaries of its functions (``other_modules``) are often asked by the same file, and
# share one parse. Dropped after each file (``forget_trees``).
_TREES: Dict[str, Optional[Tuple[ast.Module, Optional[List[str]]]]] = {}


def parsed_module(path: str) -> Optional[Tuple[ast.Module, Optional[List[str]]]]:
    """A module's tree (parsed, never imported) and its lines (None when the file is not
    UTF-8); None when it cannot be read or is too large."""
    if path in _TREES:
        return _TREES[path]
    parsed: Optional[Tuple[ast.Module, Optional[List[str]]]] = None
    try:
        if os.path.getsize(path) <= MAX_MODULE_BYTES:
            with open(path, "rb") as stream:
                source = stream.read()
            tree = ast.parse(source, filename=path)
            try:
                lines: Optional[List[str]] = source.decode("utf-8").splitlines(True)
            except UnicodeDecodeError:
                lines = None
            parsed = (tree, lines)
    except (OSError, SyntaxError, ValueError, MemoryError, RecursionError):
        parsed = None
    _TREES[path] = parsed
    return parsed


def forget_trees() -> None:
    """Drop the trees read for the file just analysed. Keeping the last two for the next
    files saved 5 ms on Django and cost about 1 MiB of peak memory (docs/performance.md)."""
    _TREES.clear()


def read_facts(path: str, modname: str) -> Optional[ModuleFacts]:
    """Parse a module's source (never import it) and summarise its top level."""
    parsed = parsed_module(path)
    if parsed is None:
        return None
    tree = parsed[0]
    facts = ModuleFacts(modname, os.path.basename(path) == "__init__.py")
    for statement in _top_level(tree.body):
        _record(facts, statement)
    return facts


def _top_level(body: Sequence[ast.stmt]) -> List[ast.stmt]:
    """The module's statements, those in ``if``/``try``/``with``/``for`` blocks included
    (their bindings are module names too), not those in functions or classes."""
    result: List[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        result.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(reversed([c for c in children if isinstance(c, (ast.stmt, ast.excepthandler))]))
    return result


def _record(facts: ModuleFacts, node: ast.AST) -> None:
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        recipe = _recipe(node.value) if node.value is not None else None
        for target in targets:
            if isinstance(target, ast.Name) and recipe is not None:
                _bind(facts, target.id, ("text", recipe))
            else:
                for name in _names_in(target):
                    _bind(facts, name, _OTHER)
    elif isinstance(node, ast.ImportFrom):
        module = _absolute_from(facts, node.module or "", node.level or 0)
        for alias in node.names:
            if alias.name != "*":
                _bind(facts, alias.asname or alias.name, ("from", module, alias.name) if module else _OTHER)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                _bind(facts, alias.asname, ("module", alias.name))
            else:
                head = alias.name.split(".", 1)[0]
                _bind(facts, head, ("module", head))
    elif isinstance(node, ast.ClassDef):
        _bind(facts, node.name, ("class", *(dotted_name(base) for base in node.bases)))
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        _bind(facts, node.name, _OTHER)
    elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):
        for name in _names_in(node.target):
            _bind(facts, name, _OTHER)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                for name in _names_in(item.optional_vars):
                    _bind(facts, name, _OTHER)


def _bind(facts: ModuleFacts, name: str, binding: Binding) -> None:
    """A name bound twice keeps its text only if both bindings are literal text (the
    later one wins); any other second binding makes it unknown."""
    previous = facts.names.get(name)
    if previous is not None and not (previous[0] == "text" and binding[0] == "text"):
        binding = _OTHER
    facts.names[name] = binding


def _names_in(target: ast.AST) -> List[str]:
    return [node.id for node in ast.walk(target) if isinstance(node, ast.Name)]


def _recipe(node: ast.AST) -> Optional[Recipe]:
    """The text of a literal expression: constants, names, ``+`` and f-strings of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes, int, float)):
        value = node.value
        if isinstance(value, bool):
            return None
        return (value.decode("latin-1") if isinstance(value, bytes) else str(value),)
    if isinstance(node, ast.Name):
        return ((node.id,),)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        operands = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            operands.append(node.right)
            node = node.left
        operands.append(node)
        result: Recipe = ()
        for operand in reversed(operands):
            part = _recipe(operand)
            if part is None:
                return None
            result += part
        return result
    if isinstance(node, ast.JoinedStr):
        result = ()
        for value in node.values:
            if isinstance(value, ast.Constant):
                result += (str(value.value),)
            elif isinstance(value, ast.FormattedValue) and value.conversion == -1 and value.format_spec is None:
                part = _recipe(value.value)
                if part is None:
                    return None
                result += part
            else:
                return None
        return result
    return None


def _absolute_from(facts: ModuleFacts, module: str, level: int) -> str:
    """The absolute name of ``from <level dots><module> import ...`` in a followed module."""
    if not level:
        return module
    parts = facts.name.split(".")
    package = parts if facts.is_package else parts[:-1]
    if level > len(package):
        return ""
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


class ProjectModules:
    """The other modules one linted file reads, within its budget."""

    def __init__(self, filename: str, level: str) -> None:
        self._filename = filename
        self.level = level
        self.used = False  # whether this file's analysis read another module's facts
        self._read = 0
        self._package: Optional[Tuple[str, List[str]]] = None
        self._roots: Optional[List[str]] = None

    @functools.cached_property
    def filename(self) -> str:
        """The linted file's path, "" when it is not a file (stdin, a tree built in memory)."""
        return self._filename if self._filename and os.path.isfile(self._filename) else ""

    # -------------------------------------------------------------- finding modules
    def _package_of_file(self) -> Tuple[str, List[str]]:
        if self._package is None:
            self._package = package_of(self.filename) if self.filename else ("", [])
        return self._package

    def project_file(self, modname: str) -> str:
        """The module's source if it belongs to the project: looked for next to the file, in
        the directory holding its top-level package, and in the directory flake8 runs in."""
        if not self.filename or modname.split(".", 1)[0] in _STDLIB_NAMES:
            return ""
        path = find_module_file(modname, self.roots())
        if not path or _INSTALLED.search(path) or _real_path(path).startswith(_STDLIB):
            return ""
        return path

    def roots(self) -> List[str]:
        """Where the project's modules are looked for: next to the file, the directory
        holding its top-level package, the directory flake8 runs in (none for stdin)."""
        if self._roots is None:
            if not self.filename:
                self._roots = []
            else:
                here = os.path.dirname(os.path.abspath(self.filename))
                self._roots = list(dict.fromkeys((here, self._package_of_file()[0], os.getcwd())))
        return self._roots

    def absolute(self, dotted: str) -> str:
        """Resolve a relative ``..pkg.mod`` against this file's package ("" beyond it)."""
        if not dotted.startswith("."):
            return dotted
        level = len(dotted) - len(dotted.lstrip("."))
        rest = dotted[level:]
        if not self.filename:
            return ""
        _, parts = self._package_of_file()
        package = parts if os.path.basename(self.filename) == "__init__.py" else parts[:-1]
        if level > len(package):
            return ""
        base = package[: len(package) - (level - 1)]
        return ".".join(base + ([rest] if rest else []))

    def facts(self, modname: str) -> Optional[ModuleFacts]:
        path = self.project_file(modname)
        if not path:
            return None
        if path in _FACTS:
            facts = _FACTS[path]
        elif self._read >= MODULE_BUDGET:
            return None
        else:
            self._read += 1
            facts = read_facts(path, modname)
            if len(_FACTS) > _CACHE_LIMIT:
                _FACTS.clear()
            _FACTS[path] = facts
        if facts is not None and not self.used:
            self.used = True
            STATS["files_following_imports"] += 1
        return facts

    # -------------------------------------------------------------- questions
    def constant(self, qualname: str) -> Optional[str]:
        """The text of ``pkg.mod.NAME`` if the module binds it to literal text only."""
        if self.level != "project" or "." not in qualname.strip("."):
            return None
        modname, _, name = qualname.rpartition(".")
        modname = self.absolute(modname)
        return self._constant(modname, name, FOLLOW_DEPTH) if modname else None

    def _constant(self, modname: str, name: str, depth: int) -> Optional[str]:
        facts = self.facts(modname) if depth > 0 else None
        binding = facts.names.get(name) if facts is not None else None
        if binding is None:
            return None
        if binding[0] == "from":
            return self._constant(str(binding[1]), str(binding[2]), depth - 1)
        if binding[0] != "text":
            return None
        texts = []
        for part in binding[1]:  # type: ignore[union-attr]
            text = part if isinstance(part, str) else self._constant(modname, part[0], depth - 1)
            if text is None:
                return None
            texts.append(text)
        return "".join(texts)

    def ancestors(self, qualname: str) -> Tuple[str, ...]:
        """Qualified names of the ancestors of class ``pkg.mod.Class`` as far as the
        project's modules show them (empty if the class is not found)."""
        if self.level != "project" or "." not in qualname.strip("."):
            return ()
        modname, _, name = qualname.rpartition(".")
        modname = self.absolute(modname)
        if not modname:
            return ()
        found: List[str] = []
        self._ancestors(modname, name, FOLLOW_DEPTH, found, set())
        return tuple(found)

    def _ancestors(self, modname: str, name: str, depth: int, found: List[str], seen: set) -> None:
        if depth <= 0 or (modname, name) in seen:
            return
        seen.add((modname, name))
        facts = self.facts(modname)
        binding = facts.names.get(name) if facts is not None else None
        if facts is None or binding is None:
            return
        if binding[0] == "from":  # re-exported: ``from .errors import DBError``
            self._ancestors(str(binding[1]), str(binding[2]), depth - 1, found, seen)
            return
        if binding[0] != "class":
            return
        for base in binding[1:]:
            if not base:
                continue
            qualname = _qualify(facts, str(base))
            if qualname not in found:
                found.append(qualname)
            base_module, _, base_name = qualname.rpartition(".")
            if base_module and base_module != "builtins":
                self._ancestors(base_module, base_name, depth - 1, found, seen)


def _qualify(facts: ModuleFacts, dotted: str) -> str:
    """The qualified name a dotted name written in a module stands for."""
    head, _, rest = dotted.partition(".")
    binding = facts.names.get(head)
    if binding is None:
        return "builtins." + dotted  # Exception, ValueError ...
    if binding[0] == "from":
        return ".".join(filter(None, (str(binding[1]), str(binding[2]), rest)))
    if binding[0] == "module":
        return ".".join(filter(None, (str(binding[1]), rest)))
    return f"{facts.name}.{dotted}"
