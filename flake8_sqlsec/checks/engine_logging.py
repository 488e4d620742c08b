"""SQL4: engine and logger settings that write SQL parameters to the log (SQL401, SQL402)."""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from ..config import Config
from ..rules import codes_of
from ..engine.calls import CallSite
from ..engine.driver import FileAnalysis
from ..engine.hooks import Hook, register_hook
from ..engine.interpreter import Interpreter
from ..engine.values import Kind, Value, replace
from ..knowledge.engine_settings import ENGINE_FACTORIES, GET_LOGGER, LEVEL_NUMBERS, SQL_LOGGERS, TRUE_TEXTS
from .raw_sql import sink_position


def _truthy_echo(value: Optional[Value]) -> bool:
    """``echo=True``, ``echo="debug"``, or a constant known to hold one of them."""
    return value is not None and value.kind is Kind.CONST and value.text in TRUE_TEXTS


def _hides(value: Optional[Value]) -> bool:
    """``hide_parameters=`` given, unless it is a constant that turns it off."""
    if value is None:
        return False
    return not (value.kind is Kind.CONST and value.text in ("False", "0", "None", "false", ""))


def _level_name(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value.upper()
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return LEVEL_NUMBERS.get(node.value)
    return None


@register_hook
class EngineLoggingHook(Hook):
    family = "SQL4"
    codes = codes_of(family)
    candidate_names = frozenset({q.rsplit(".", 1)[-1] for q in ENGINE_FACTORIES} | {"setLevel", "dictConfig"})

    def refines_values(self, config: Config) -> bool:
        return config.wants("SQL402")

    def refine_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite, value: Value) -> Value:
        # Remember which SQL logger ``logging.getLogger("sqlalchemy.engine")`` returned.
        if site.callee.qualname in GET_LOGGER and site.node.args and value.api == "logger":
            first = site.node.args[0]
            if isinstance(first, ast.Constant) and first.value in SQL_LOGGERS:
                return replace(value, text=first.value)
        return value

    def on_call(self, analysis: FileAnalysis, interp: Interpreter, site: CallSite) -> None:
        callee = site.callee
        if callee.name == "setLevel" and callee.method:
            self._set_level(analysis, site)
            return
        if callee.name == "dictConfig" and analysis.config.wants("SQL402"):
            for arg in site.node.args:
                self._config_dicts(analysis, arg)
            return
        qualname = callee.qualname
        if qualname not in ENGINE_FACTORIES:
            return
        keywords = site.keywords
        if None in keywords:
            return  # **options may carry hide_parameters
        echo = _truthy_echo(keywords.get("echo"))
        hidden = _hides(keywords.get("hide_parameters"))
        config_arg = ENGINE_FACTORIES[qualname]
        if config_arg is not None and len(site.node.args) > config_arg:
            config_echo, config_hidden = self._from_config(site, site.node.args[config_arg])
            echo = echo or config_echo
            hidden = hidden or config_hidden
        if echo and not hidden:
            name = qualname.rsplit(".", 1)[-1]
            analysis.report(
                "SQL401",
                sink_position(site.node),
                f"{name}() echoes every statement with its parameters and has no hide_parameters=True",
                ("SQL401", id(site.node)),
            )

    @staticmethod
    def _from_config(site: CallSite, node: ast.AST) -> Tuple[bool, bool]:
        """``engine_from_config({"sqlalchemy.echo": "true", ...})``."""
        if not isinstance(node, ast.Dict):
            return False, False
        prefix = "sqlalchemy."
        for kw in site.node.keywords:
            if kw.arg == "prefix" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                prefix = kw.value.value
        second = site.node.args[1] if len(site.node.args) > 1 else None
        if isinstance(second, ast.Constant) and isinstance(second.value, str):
            prefix = second.value
        echo = hidden = False
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(value, ast.Constant)):
                continue
            text = str(value.value)
            if key.value == prefix + "echo":
                echo = text in TRUE_TEXTS
            elif key.value == prefix + "hide_parameters":
                hidden = text not in ("False", "0", "None", "false", "")
        return echo, hidden

    def _set_level(self, analysis: FileAnalysis, site: CallSite) -> None:
        receiver = site.callee.receiver
        if receiver is None or receiver.api != "logger" or receiver.text not in SQL_LOGGERS or not site.node.args:
            return
        level = _level_name(site.node.args[0])
        if level in SQL_LOGGERS[receiver.text]:
            analysis.report(
                "SQL402",
                sink_position(site.node),
                f"the {receiver.text} logger is set to {level}, which logs statements and parameters",
                ("SQL402", id(site.node)),
            )

    def finish(self, analysis: FileAnalysis) -> None:
        """Logging configuration dicts of the module and its classes (Django's ``LOGGING``)."""
        if not analysis.config.wants("SQL402"):
            return
        if analysis.lines and not any(name in analysis.source for name in ("sqlalchemy", "django.db.backends")):
            return  # no SQL logger named in this file
        statements = list(getattr(analysis.tree, "body", []))
        while statements:
            statement = statements.pop()
            if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
                self._config_dicts(analysis, statement.value)
            elif isinstance(statement, ast.ClassDef):
                statements.extend(statement.body)
            elif isinstance(statement, (ast.If, ast.Try)):
                statements.extend(statement.body + statement.orelse)

    def _config_dicts(self, analysis: FileAnalysis, root: ast.AST) -> None:
        """``"loggers": {"django.db.backends": {"level": "DEBUG"}}`` anywhere inside ``root``."""
        for node in ast.walk(root):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values):
                if not (isinstance(key, ast.Constant) and key.value in SQL_LOGGERS and isinstance(value, ast.Dict)):
                    continue
                for setting, level_node in zip(value.keys, value.values):
                    if isinstance(setting, ast.Constant) and setting.value == "level":
                        level = _level_name(level_node)
                        if level in SQL_LOGGERS[key.value]:
                            analysis.report_final(
                                "SQL402",
                                (key.lineno, key.col_offset),
                                f"the logging configuration sets the {key.value} logger to {level}, "
                                "which logs statements and parameters",
                                ("SQL402", id(key)),
                            )
