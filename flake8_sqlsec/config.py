"""User options: their registration with flake8, their validation and the parsed settings.

Every option is declared once in ``OPTIONS``; the checker family named there registers it.
A malformed value stops flake8 with one line that names the option (no traceback).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

from .rules import DEFAULT_OFF, RULES

INFER_LEVELS = ("off", "local", "project")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
_ARG_SPEC = re.compile(r"^(\d+|[A-Za-z_]\w*)$")


class ConfigError(SystemExit):
    """Raised for a malformed option value; flake8 prints the one line and exits 1."""

    def __init__(self, option: str, value: str, why: str) -> None:
        super().__init__(f"flake8-sqlsec: invalid value for {option}: {value!r}: {why}")


@dataclass(frozen=True)
class SinkOption:
    """One ``--sqlsec-sinks`` entry: ``pkg.mod.func[:arg]`` or ``.method[:arg]``."""

    name: str  # dotted qualified name, or a bare method name when ``method`` is true
    method: bool
    position: Optional[int]
    keyword: Optional[str]


@dataclass(frozen=True)
class Config:
    extra_sinks: Tuple[SinkOption, ...] = ()
    safe_functions: FrozenSet[str] = frozenset()
    infer: str = "project"
    sensitive_names: Tuple["re.Pattern[str]", ...] = ()
    safe_names: Tuple["re.Pattern[str]", ...] = ()
    logger_names: FrozenSet[str] = frozenset()
    masking_functions: FrozenSet[str] = frozenset()
    # Codes that flake8 will show; analysis for the others is skipped.
    selected: FrozenSet[str] = field(
        default_factory=lambda: frozenset(code for code in RULES if code not in DEFAULT_OFF)
    )

    def wants(self, *codes: str) -> bool:
        return any(code in self.selected for code in codes)


# The settings in force; replaced on every flake8 run (editors keep one process alive).
CURRENT = Config()


def _split(value: Any) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [item.strip() for item in value if item and item.strip()]


def _parse_sinks(option: str, values: Sequence[str]) -> Tuple[SinkOption, ...]:
    sinks = []
    for raw in values:
        name, _, arg = raw.partition(":")
        method = name.startswith(".")
        bare = name[1:] if method else name
        if not bare or not _DOTTED.match(bare) or (method and "." in bare):
            raise ConfigError(
                option,
                raw,
                "expected a dotted name like 'pkg.db.run' or a method like '.run', optionally ':0' or ':sql'",
            )
        if ":" in raw and not _ARG_SPEC.match(arg):
            raise ConfigError(option, raw, "the SQL argument after ':' must be a position (0) or a keyword (sql)")
        position = int(arg) if arg.isdigit() else (None if arg else 0)
        keyword = arg if arg and not arg.isdigit() else None
        sinks.append(SinkOption(bare, method, position, keyword))
    return tuple(sinks)


def _parse_names(option: str, values: Sequence[str]) -> FrozenSet[str]:
    for raw in values:
        if not _DOTTED.match(raw.lstrip(".")):
            raise ConfigError(option, raw, "expected a dotted name like 'pkg.sql.quote_ident' or a bare name")
    return frozenset(raw.lstrip(".") for raw in values)


def _parse_regexes(option: str, values: Sequence[str]) -> Tuple["re.Pattern[str]", ...]:
    compiled = []
    for raw in values:
        try:
            compiled.append(re.compile(raw, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(option, raw, f"not a regular expression ({exc})") from None
    return tuple(compiled)


def _parse_infer(option: str, values: Sequence[str]) -> str:
    value = values[0] if values else "project"
    if len(values) > 1 or value not in INFER_LEVELS:
        raise ConfigError(option, ",".join(values), "expected one of " + ", ".join(INFER_LEVELS))
    return value


@dataclass(frozen=True)
class OptionSpec:
    flag: str
    family: str  # the checker family that registers it
    attr: str  # Config field it fills
    parse: Callable[[str, Sequence[str]], Any]
    help: str
    metavar: str = "LIST"


OPTIONS: Tuple[OptionSpec, ...] = (
    OptionSpec(
        "--sqlsec-sinks",
        "SQL1",
        "extra_sinks",
        _parse_sinks,
        "Extra SQL execution APIs: dotted names (myapp.db.run_query) or methods (.raw_query), "
        "each optionally with the SQL argument as ':0' or ':sql'. Comma separated.",
    ),
    OptionSpec(
        "--sqlsec-safe-functions",
        "SQL1",
        "safe_functions",
        _parse_names,
        "Functions whose result is safe to put into SQL text (identifier quoting, validators), "
        "as dotted or bare names. Comma separated.",
    ),
    OptionSpec(
        "--sqlsec-infer",
        "SQL1",
        "infer",
        _parse_infer,
        "where values are looked for: off or local (this file only), project (also the project's "
        "modules that names are imported from; the default).",
        metavar="LEVEL",
    ),
    OptionSpec(
        "--sqlsec-sensitive-names",
        "SQL3",
        "sensitive_names",
        _parse_regexes,
        "Extra regular expressions for names of secret values (matched against identifiers).",
    ),
    OptionSpec(
        "--sqlsec-safe-names",
        "SQL3",
        "safe_names",
        _parse_regexes,
        "Regular expressions for names that are never secrets (win over sensitive names).",
    ),
    OptionSpec(
        "--sqlsec-logger-names",
        "SQL3",
        "logger_names",
        _parse_names,
        "Extra receiver names treated as loggers when they cannot be resolved by import.",
    ),
    OptionSpec(
        "--sqlsec-masking-functions",
        "SQL3",
        "masking_functions",
        _parse_names,
        "Extra functions whose result is a masked, loggable value.",
    ),
)


def register(option_manager: Any, family: str) -> None:
    for spec in OPTIONS:
        if spec.family == family:
            option_manager.add_option(
                spec.flag,
                default="",
                parse_from_config=True,
                comma_separated_list=spec.flag != "--sqlsec-infer",
                metavar=spec.metavar,
                help=spec.help,
            )


def _selected_codes(options: Any) -> FrozenSet[str]:
    """The codes flake8's own decision engine will show, so we skip work for the rest."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return frozenset(code for code in RULES if engine.decision_for(code) is Decision.Selected)
    except Exception:  # an older or newer flake8 we cannot ask: analyse everything
        return frozenset(RULES)


def configure(options: Any) -> Config:
    """Parse every known option present on flake8's namespace into ``CURRENT``."""
    global CURRENT
    values: Dict[str, Any] = {}
    for spec in OPTIONS:
        dest = spec.flag.lstrip("-").replace("-", "_")
        raw = getattr(options, dest, None)
        if raw is None:
            continue
        values[spec.attr] = spec.parse(spec.flag, _split(raw))
    CURRENT = Config(selected=_selected_codes(options), **values)
    return CURRENT
