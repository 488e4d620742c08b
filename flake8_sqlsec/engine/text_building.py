"""How strings are built: f-strings, ``%``, ``+``, ``str.format()``, ``str.join()``,
``string.Template`` and the other ``str`` methods, evaluated to values with holes."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

from .calls import CallSite
from .folding import fold_binary
from .strings import SAME_TEXT_METHODS, format_fields, is_numeric_spec, percent_placeholders, percent_text
from .values import (
    HOLE,
    MAX_TEXT,
    SAFE_NUMBER,
    UNKNOWN,
    Kind,
    Shape,
    Value,
    const,
    interpolate,
    join,
    replace,
    resolved,
)

if TYPE_CHECKING:  # pragma: no cover
    from .driver import FileAnalysis

# Separates the texts of a list display's elements (see _join).
ELEMENTS = "\x1f"


def text_of(value: Value) -> str:
    """The text a value contributes to a string built from it: its own text when we know it
    (constant, or built with holes), a hole otherwise."""
    if value.obj is not None or value.kind is Kind.UNKNOWN:
        return value.text if value.obj is Shape.NUMBER and value.kind is Kind.CONST else HOLE
    return value.text


_TEMPLATE_FIELD = re.compile(r"\$(?:\{\w+\}|\w+)")


class TextBuilding:
    """The interpreter's evaluation of string building (a mixin of ``Interpreter``)."""

    analysis: "FileAnalysis"
    state: Dict[str, Value]
    _ready: Dict[int, Value]

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        parts: List[Value] = []
        texts: List[str] = []
        leading_template = False
        for index, part in enumerate(node.values):
            if isinstance(part, ast.Constant):
                texts.append(str(part.value))
                continue
            if not isinstance(part, ast.FormattedValue):
                continue
            value = self.eval(part.value)
            spec = part.format_spec
            spec_value = self.eval(spec) if spec is not None else None
            if spec_value is not None and spec_value.kind is Kind.CONST and is_numeric_spec(spec_value.text):
                value, spec_value = SAFE_NUMBER, None
            if not parts and self._leads(node, index) and self._is_sql_template(value, part.value):
                leading_template = True  # f"{sql} LIMIT 1", f"EXPLAIN {statement}"
            parts.append(value)
            if spec_value is not None:
                parts.append(spec_value)  # a computed width or format can carry text too
            texts.append(text_of(value))
        return self._interpolated(
            node,
            parts[0] if leading_template else const(""),
            parts[1:] if leading_template else parts,
            "".join(texts),
            "an f-string",
        )

    def _leads(self, node: ast.JoinedStr, index: int) -> bool:
        """Whether the f-string's part at ``index`` stands where a statement starts."""
        if index == 0:
            return True
        first = node.values[0]
        return index == 1 and isinstance(first, ast.Constant) and self.analysis.world.takes_statement(str(first.value))

    def _imported_text(self, value: Value) -> Value:
        """A constant of another module, or a call's result another module's summary
        gives, where its text matters."""
        if value.pending is not None:
            return resolved(value)
        qualname = value.imported
        if qualname is not None and value.kind is Kind.UNKNOWN:
            inferred = self.analysis.imported_constant(qualname)
            if inferred is not None:
                return inferred
        return value

    def _is_sql_template(self, value: Value, node: ast.AST) -> bool:
        """Is a leading unknown operand SQL text (``sql + " LIMIT 1"``) rather than a value
        put into SQL (``column + " DESC"``)? Decided by the name it is read from."""
        if value.kind is Kind.CONST or value.kind is Kind.SAFE or value.obj is not None:
            return False
        if value.kind is Kind.BUILT:
            return True
        name = node.attr if isinstance(node, ast.Attribute) else (node.id if isinstance(node, ast.Name) else "")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        return self.analysis.world.names_template(name)

    def _interpolated(self, node: ast.AST, template: Value, parts: Sequence[Value], text: str, form: str) -> Value:
        # Names imported from other modules are asked about only here, where their text
        # matters; calls of their functions only when the text being built reads as SQL.
        if any(p.pending is not None for p in parts) and not self.analysis.world.reads_as_sql(text):
            parts = [replace(p, pending=None) if p.pending is not None else p for p in parts]
        parts = [self._imported_text(p) for p in parts]
        return interpolate(template, tuple(parts), text, form, node.lineno, node.col_offset, id(node))

    def _eval_BinOp(self, node: ast.BinOp) -> Value:
        if isinstance(node.op, ast.Add):
            return self._concatenation(node)
        if isinstance(node.op, ast.Mod):
            return self._percent(node)
        if isinstance(node.op, ast.Mult):
            left, right = self.eval(node.left), self.eval(node.right)
            folded = fold_binary(node.op, left, right)
            if folded is not None:
                return folded
            for seq, count in ((left, right), (right, left)):
                if seq.obj is None and seq.kind in (Kind.CONST, Kind.SAFE) and count.obj is not Shape.CONTAINER:
                    # "?, " * n: constant text repeated, however many times (n can only be a number)
                    return Value(kind=Kind.SAFE, text=(seq.text * 3)[:MAX_TEXT])
            for seq, count in ((left, right), (right, left)):
                if count.obj is Shape.NUMBER and seq.obj is not Shape.NUMBER:
                    if seq.obj in (Shape.CONTAINER, Shape.DICT):
                        return seq
                    if seq.kind in (Kind.CONST, Kind.SAFE):
                        return Value(kind=Kind.SAFE, text=(seq.text * 3)[:MAX_TEXT])
                    return seq
            return SAFE_NUMBER if left.obj is Shape.NUMBER or right.obj is Shape.NUMBER else UNKNOWN
        folded = fold_binary(node.op, self.eval(node.left), self.eval(node.right))
        return folded if folded is not None else SAFE_NUMBER

    def _concatenation(self, node: ast.BinOp) -> Value:
        # Flatten left-leaning chains without recursion: "a" + b + "c" + ... (thousands deep).
        operands: List[ast.AST] = []
        current: ast.AST = node
        while (
            isinstance(current, ast.BinOp)
            and isinstance(current.op, ast.Add)
            and (current is node or id(current) not in self._ready)
        ):
            operands.append(current.right)
            current = current.left
        operands.append(current)
        operands.reverse()
        values = [self.eval(operand) for operand in operands]
        if all(v.obj is Shape.NUMBER for v in values):
            folded: Optional[Value] = values[0]
            for value in values[1:]:
                folded = fold_binary(node.op, folded, value) if folded is not None else None
            return folded if folded is not None else SAFE_NUMBER
        if any(v.obj is Shape.CONTAINER for v in values):
            element: Optional[Value] = None
            for v in values:
                element = join(element, v.element)
            return Value(
                kind=Kind.SAFE,
                text=HOLE,
                obj=Shape.CONTAINER,
                element=element,
                origins=element.origins if element else frozenset(),
            )
        composed = self.analysis.world.concatenated(values)
        if composed is not None:
            return composed
        first = values[0]
        leading_template = self._is_sql_template(first, operands[0])
        template = first if leading_template else const("")
        parts = values[1:] if leading_template else values
        text = "".join(text_of(v) for v in values)
        return self._interpolated(node, template, parts, text, "concatenation")

    def _percent(self, node: ast.BinOp) -> Value:
        template = self.eval(node.left)
        if template.obj is Shape.NUMBER:
            folded = fold_binary(node.op, template, self.eval(node.right))
            return folded if folded is not None else SAFE_NUMBER
        right = node.right
        placeholders = (
            percent_placeholders(template.text)
            if template.kind is Kind.CONST or HOLE in template.text or template.text
            else None
        )
        args: List[Value] = []
        numeric: List[bool] = []
        if isinstance(right, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in right.elts):
            args = [self.eval(e) for e in right.elts]
            numeric = [False] * len(args)
            for key, is_num in placeholders or []:
                if isinstance(key, int) and key < len(numeric):
                    numeric[key] = is_num
        elif isinstance(right, ast.Dict) and all(k is not None for k in right.keys):
            keyed = {}
            for key, value in zip(right.keys, right.values):
                key_value = self.eval(key)
                keyed[key_value.text] = self.eval(value)
            for key, is_num in placeholders or []:
                if key in keyed:
                    args.append(keyed[key])
                    numeric.append(is_num)
            used = {k for k, _ in placeholders or []}
            args.extend(v for k, v in keyed.items() if k not in used)
            numeric.extend(False for k in keyed if k not in used)
        else:
            value = self.eval(right)
            if (value.obj is Shape.CONTAINER or value.obj is Shape.DICT) and value.element is not None:
                args = [value.element]
            else:
                args = [value]
            numeric = [bool(placeholders) and all(is_num for _, is_num in placeholders)]
        parts = [SAFE_NUMBER if is_num else arg for arg, is_num in zip(args, numeric)]
        text = percent_text(template.text, [text_of(p) for p in parts]) if template.text else HOLE
        return self._interpolated(node, template, parts, text, "%-formatting")

    def _string_method(self, site: CallSite, receiver: Value) -> Optional[Value]:
        name = site.callee.name
        args = site.args
        if name in _DICT_READS and receiver.obj is Shape.DICT and receiver.element is not None and args:
            # ALLOWED.get(key, default), options.pop(key, default): one of the dict's values
            return join(receiver.element, args[1]) if len(args) > 1 else receiver.element
        if name in ("items", "values", "keys") and not args and receiver.element is not None:
            if receiver.obj is Shape.DICT or receiver.obj is Shape.CONTAINER:
                return _view(receiver, name)
        if receiver.obj is not None and receiver.obj is not Shape.TEMPLATE:
            return None
        if name in ("format", "format_map"):
            return self._format(site, receiver, name)
        if name == "join" and args:
            if len(args) != 1 or site.keywords or site.starred:
                return None  # str.join() takes one iterable: ``tbl.join(other, onclause)`` is a table's
            return self._join(site, receiver)
        if name in ("substitute", "safe_substitute") and receiver.obj is Shape.TEMPLATE:
            return self._template(site, receiver)
        if name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            if old.kind is Kind.CONST and new.kind is Kind.CONST and old.obj is None and new.obj is None:
                if self.analysis.world.escapes_by_replace(old.text, new.text):
                    # x.replace('"', '""'): the quote doubled, as SQL escapes it
                    return Value(kind=Kind.SAFE, text=HOLE, names=receiver.names, labels=receiver.labels)
            text = receiver.text
            if receiver.kind is Kind.CONST and new.kind is not Kind.CONST and old.kind is Kind.CONST and old.text:
                text = text.replace(old.text, HOLE)
            template = receiver if receiver.kind is not Kind.CONST else const("")
            return self._interpolated(site.node, template, [new], text, "str.replace()")
        if name in SAME_TEXT_METHODS:
            if receiver.kind is Kind.CONST:
                text = (
                    receiver.text.upper()
                    if name == "upper"
                    else (receiver.text.lower() if name in ("lower", "casefold") else receiver.text)
                )
                return replace(receiver, text=text, obj=None)
            return replace(receiver, obj=None)
        if name in ("split", "splitlines", "rsplit", "partition", "rpartition"):
            element = replace(receiver, obj=None) if receiver.kind is not Kind.UNKNOWN else UNKNOWN
            return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=element)
        return None

    def _format(self, site: CallSite, template: Value, name: str) -> Value:
        positional = [] if site.starred else list(site.args)
        keyword = {k: v for k, v in site.keywords.items() if k is not None}
        mapping: Optional[Value] = site.keywords.get(None)
        if name == "format_map":
            mapping = site.args[0] if site.args else UNKNOWN
            positional = []
        if site.starred:
            for value in site.args:
                mapping = join(mapping, value)
        if template.kind is Kind.UNKNOWN and template.obj is None and template.text == HOLE:
            # a stored template (``self.insert_statement_format.format(table, ...)``)
            stand_in = self.analysis.world.stored_template(site.callee.receiver_text.rsplit(".", 1)[-1])
            if stand_in is not None:
                template = replace(template, text=stand_in)
        fields = format_fields(template.text) if template.kind is not Kind.UNKNOWN else None
        parts: List[Value] = []
        if fields is None:
            parts = positional + list(keyword.values()) + ([mapping] if mapping is not None else [])
            text = template.text
        else:
            texts: List[str] = []
            for literal, key, numeric in fields:
                texts.append(literal)
                if key is None:
                    continue
                value: Optional[Value]
                if isinstance(key, int):
                    value = positional[key] if key < len(positional) else None
                else:
                    value = keyword.get(key)
                if value is None:
                    value = (mapping.element or UNKNOWN) if mapping is not None else UNKNOWN
                if numeric:
                    value = SAFE_NUMBER
                parts.append(value)
                texts.append(text_of(value))
            text = "".join(texts)
        form = "str.format()" if name == "format" else "str.format_map()"
        return self._interpolated(
            site.node, template if template.kind is not Kind.CONST else const(""), parts, text, form
        )

    def _join(self, site: CallSite, separator: Value) -> Value:
        iterable = site.args[0]
        if iterable.pending is not None:
            # ``", ".join(columns(...))`` of another module's function: joined when the
            # text comes to matter, from what the function returns
            return Value(
                pending=self.analysis.pending(
                    lambda: self._join(replace(site, args=[resolved(iterable), *site.args[1:]]), separator)
                )
            )
        element = self.element_of(iterable)
        if element.obj is Shape.NUMBER:
            element = SAFE_NUMBER
        if iterable.kind is Kind.BUILT and iterable.obj is None:
            element = iterable  # joining the characters of a built string
        sep_text = separator.text if separator.kind is Kind.CONST else HOLE
        elem_text = text_of(element)
        text = elem_text + sep_text + elem_text
        if iterable.obj is Shape.CONTAINER and iterable.text != HOLE and iterable.text:
            text = iterable.text.replace(ELEMENTS, sep_text)
        template = separator if separator.kind is not Kind.CONST else const("")
        return self._interpolated(site.node, template, [element], text, "str.join()")

    def _template(self, site: CallSite, template: Value) -> Value:
        parts = [(p.element or UNKNOWN) if p.obj is Shape.DICT else p for p in site.args]
        parts += [v for k, v in site.keywords.items()]
        text = _TEMPLATE_FIELD.sub(HOLE, template.text) if template.kind is Kind.CONST else HOLE
        base = replace(template, obj=None) if template.kind is not Kind.CONST else const("")
        return self._interpolated(site.node, base, parts, text, "string.Template")

    # ------------------------------------------------------------------ statements


_DICT_READS = frozenset(("get", "pop", "setdefault"))


def _view(mapping: Value, name: str) -> Value:
    """``d.values()``, ``d.keys()``, ``d.items()`` of a dict whose values (and keys) are known."""
    keys = mapping.keys
    if keys is None:
        keys = mapping.element if mapping.obj is Shape.CONTAINER else UNKNOWN
    element = mapping.element if name == "values" else keys
    if name == "items":
        # each pair is (key, value) place by place; read whole, one value stands for
        # both, with only how safe the text is (a label of the values, a secret, would
        # be read on the keys too)
        both = join(keys, mapping.element)  # type: ignore[arg-type]
        pair = Value(kind=both.kind, text=both.text if both.kind <= Kind.SAFE else HOLE, origins=both.origins)
        places = (keys, mapping.element)
        element = Value(
            kind=max(Kind.SAFE, pair.kind), text=HOLE, obj=Shape.CONTAINER, element=pair, items=places  # type: ignore
        )
    return Value(kind=Kind.SAFE, text=HOLE, obj=Shape.CONTAINER, element=element, origins=mapping.origins)
