"""Format-string parsing: which interpolated parts are formatted as numbers.

``"... id = %d" % user_id`` and ``f"LIMIT {n:d}"`` cannot inject: a number is all they
can produce. These helpers map each placeholder to the part it takes and say whether the
conversion is numeric.
"""

from __future__ import annotations

import re
import string
from typing import List, Optional, Tuple, Union

# Methods of ``str`` whose result is the receiver's text, reshaped.
SAME_TEXT_METHODS = frozenset(
    (
        "casefold",
        "center",
        "decode",
        "encode",
        "expandtabs",
        "ljust",
        "lower",
        "lstrip",
        "removeprefix",
        "removesuffix",
        "rjust",
        "rstrip",
        "strip",
        "title",
        "upper",
        "zfill",
    )
)
# The ``str`` methods the interpreter evaluates (``TextBuilding._string_method``).
STRING_METHODS = SAME_TEXT_METHODS | frozenset(
    ("format", "format_map", "join", "replace", "split", "splitlines", "rsplit", "partition", "rpartition")
)

_PERCENT_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsab%])"
)
_NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")
_NUMERIC_FORMAT_SPEC = re.compile(r"[-+ #0-9,_.]*[bdoxXneEfFgG%]$")

Placeholder = Tuple[Union[int, str, None], bool]  # (index or key, numeric?)


def percent_placeholders(template: str) -> Optional[List[Placeholder]]:
    """Placeholders of a %-template, in order: (position or mapping key, numeric?)."""
    result: List[Placeholder] = []
    position = 0
    for match in _PERCENT_SPEC.finditer(template):
        conv = match.group("conv")
        if conv == "%":
            continue
        key = match.group("key")
        if key is not None:
            result.append((key, conv in _NUMERIC_CONVERSIONS))
        else:
            result.append((position, conv in _NUMERIC_CONVERSIONS))
            position += 1
    return result


def percent_text(template: str, parts: List[str]) -> str:
    """The template with each placeholder replaced by the given texts, in order."""
    it = iter(parts)

    def repl(match: "re.Match[str]") -> str:
        if match.group("conv") == "%":
            return "%"
        return next(it, "")

    return _PERCENT_SPEC.sub(repl, template)


def format_fields(template: str) -> Optional[List[Tuple[str, Union[int, str, None], bool]]]:
    """``str.format`` fields: (literal text before, index/key or None for auto, numeric?).

    None when the template does not parse (it then fails at run time too)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except (ValueError, IndexError):
        return None
    fields: List[Tuple[str, Union[int, str, None], bool]] = []
    auto = 0
    for literal, field_name, spec, _conversion in parsed:
        if field_name is None:
            fields.append((literal, None, False))
            continue
        head = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        key: Union[int, str]
        if head == "":
            key = auto
            auto += 1
        elif head.isdigit():
            key = int(head)
        else:
            key = head
        fields.append((literal, key, bool(spec) and is_numeric_spec(spec)))
    return fields


def is_numeric_spec(spec: str) -> bool:
    return bool(_NUMERIC_FORMAT_SPEC.match(spec)) or spec.strip() in {",", "_"}
