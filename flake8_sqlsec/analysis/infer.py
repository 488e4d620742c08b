"""astroid, used lazily and on a budget, for what one file's ``ast`` cannot decide.

Today that is the value of a name imported from another module (``from .tables import
USERS``) and the ancestry of an exception class defined elsewhere. astroid parses the
other module's source; it never imports or runs it, and never loads C extensions.
Every call is guarded: a failure or an exhausted budget answers "unknown", never a guess.

Beware: astroid infers ``str(unknown)`` as ``''`` and an f-string of unknowns as a
constant; a value counts as constant only when its defining expression is built from
literals alone, which we check on the source, not on astroid's answer.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
import time
from typing import Any, Dict, List, Optional, Tuple

# Per-file limits: astroid work beyond them is skipped (the answer is "unknown").
TIME_BUDGET = 0.5  # seconds
MODULE_BUDGET = 8  # distinct modules built or fetched from astroid's cache
STATIC_DEPTH = 4

_STDLIB_NAMES = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(sys.builtin_module_names)
_INSTALLED = re.compile(r"/(?:site|dist)-packages/")
_STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep

# Files that used astroid in this process (reported by the benchmark through FLAKE8_SQLSEC_STATS).
STATS: Dict[str, Any] = {"astroid_files": 0}


def _manager() -> Any:
    import astroid

    manager = astroid.MANAGER
    # Never load compiled extensions to introspect them: that would run their code.
    manager.always_load_extensions = False
    if hasattr(manager, "extension_package_whitelist"):
        manager.extension_package_whitelist = set()
    return manager


class ImportInference:
    def __init__(self, filename: str, level: str) -> None:
        self.filename = filename if filename and os.path.exists(filename) else ""
        self.level = level
        self.used = False
        self._spent = 0.0
        self._modules: Dict[str, Any] = {}
        self._constants: Dict[str, Optional[str]] = {}

    # -------------------------------------------------------------- budget
    def _within_budget(self) -> bool:
        return self._spent < TIME_BUDGET and len(self._modules) <= MODULE_BUDGET

    def _module(self, modname: str) -> Any:
        if modname in self._modules:
            return self._modules[modname]
        if not self._within_budget():
            return None
        start = time.perf_counter()
        module = None
        try:
            module = self._project_module(_manager(), modname)
            if module is not None and not self.used:
                self.used = True
                STATS["astroid_files"] += 1
        except Exception:  # noqa: B902 - anything astroid raises means "unknown"
            module = None
        finally:
            self._spent += time.perf_counter() - start
            self._modules[modname] = module
        return module

    def _project_module(self, manager: Any, modname: str) -> Any:
        """The module if it is part of the linted project: installed packages and the standard
        library are not followed (their constants are not SQL, and building them is costly)."""
        from astroid import modutils

        if modname.split(".", 1)[0] in _STDLIB_NAMES:
            return None
        path = modutils.file_from_modpath(modname.split("."), context_file=self.filename or None)
        if not path or not path.endswith(".py") or _INSTALLED.search(path.replace(os.sep, "/")):
            return None
        if os.path.realpath(path).startswith(_STDLIB):
            return None
        return manager.ast_from_file(path, modname, source=True)

    def _absolute(self, dotted: str) -> str:
        """Resolve a relative ``..pkg.mod`` against this file's package."""
        if not dotted.startswith("."):
            return dotted
        level = len(dotted) - len(dotted.lstrip("."))
        rest = dotted[level:]
        if not self.filename:
            return ""
        try:
            from astroid import modutils

            package = modutils.modpath_from_file(self.filename)
        except Exception:  # noqa: B902
            return ""
        base = package[: len(package) - level] if level <= len(package) else []
        return ".".join(base + ([rest] if rest else []))

    # -------------------------------------------------------------- questions
    def constant(self, qualname: str) -> Optional[str]:
        """The string (or number) value of ``pkg.mod.NAME`` if it is a literal constant."""
        if self.level != "project" or not qualname or "." not in qualname.strip("."):
            return None
        if qualname in self._constants:
            return self._constants[qualname]
        result = None
        modname, _, name = qualname.rpartition(".")
        absolute = self._absolute(modname)
        if absolute:
            module = self._module(absolute)
            if module is not None:
                result = self._static_value(module, name, STATIC_DEPTH)
        self._constants[qualname] = result
        return result

    def _static_value(self, scope: Any, name: str, depth: int) -> Optional[str]:
        if depth <= 0:
            return None
        try:
            from astroid import nodes

            assigned = scope.locals.get(name)
            if not assigned:
                return None
            texts: List[str] = []
            for node in assigned:
                parent = node.parent
                if isinstance(parent, (nodes.Assign, nodes.AnnAssign)) and parent.value is not None:
                    text = self._literal_text(parent.value, scope, depth)
                elif isinstance(node, nodes.ImportFrom) or isinstance(parent, nodes.ImportFrom):
                    imported = parent if isinstance(parent, nodes.ImportFrom) else node
                    original = dict(imported.names).get(name) if False else _original_name(imported, name)
                    module = self._module(_resolve_from(imported, scope, self._absolute)) if original else None
                    text = self._static_value(module, original, depth - 1) if module is not None else None
                else:
                    text = None
                if text is None:
                    return None
                texts.append(text)
            return texts[-1] if texts else None
        except Exception:  # noqa: B902
            return None

    def _literal_text(self, node: Any, scope: Any, depth: int) -> Optional[str]:
        from astroid import nodes

        if isinstance(node, nodes.Const) and isinstance(node.value, (str, bytes, int, float)):
            value = node.value
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
        if isinstance(node, nodes.BinOp) and node.op == "+":
            left = self._literal_text(node.left, scope, depth)
            right = self._literal_text(node.right, scope, depth) if left is not None else None
            return left + right if right is not None else None
        if isinstance(node, nodes.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, nodes.Const):
                    parts.append(str(value.value))
                elif isinstance(value, nodes.FormattedValue):
                    inner = self._literal_text(value.value, scope, depth)
                    if inner is None:
                        return None
                    parts.append(inner)
                else:
                    return None
            return "".join(parts)
        if isinstance(node, nodes.Name):
            return self._static_value(scope, node.name, depth - 1)
        return None

    def ancestors(self, qualname: str) -> Tuple[str, ...]:
        """Qualified names of the ancestors of class ``pkg.mod.Class`` (empty if unknown)."""
        if self.level == "off" or "." not in qualname.strip("."):
            return ()
        modname, _, name = qualname.rpartition(".")
        absolute = self._absolute(modname)
        if not absolute or (self.level == "local"):
            return ()
        module = self._module(absolute)
        if module is None or not self._within_budget():
            return ()
        start = time.perf_counter()
        try:
            from astroid import nodes

            found = module.getattr(name)
            classes = [n for n in found if isinstance(n, nodes.ClassDef)]
            if not classes:
                return ()
            return tuple(a.qname() for a in classes[0].ancestors())
        except Exception:  # noqa: B902
            return ()
        finally:
            self._spent += time.perf_counter() - start


def _original_name(imported: Any, name: str) -> Optional[str]:
    for original, alias in imported.names:
        if (alias or original) == name:
            return original
    return None


def _resolve_from(imported: Any, scope: Any, absolute: Any) -> str:
    dotted = "." * (imported.level or 0) + (imported.modname or "")
    return absolute(dotted) if dotted.startswith(".") else dotted
