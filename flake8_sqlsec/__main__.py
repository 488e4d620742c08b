"""``python -m flake8_sqlsec``: the rule catalogue; ``python -m flake8_sqlsec SQL101``: a rule's page."""

from __future__ import annotations

import sys
from typing import List, Optional

from .rules import RULES


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        if args:
            print("usage: python -m flake8_sqlsec [CODE ...]")
            print("Without a code: list the rules. With codes: print their pages.")
            return 0
        width = max(len(rule.name) for rule in RULES.values())
        for rule in RULES.values():
            default = "on " if rule.default_enabled else "off"
            print(f"{rule.code}  {rule.name:<{width}}  {default}  {rule.summary}")
        return 0
    unknown = [code for code in args if code.upper() not in RULES]
    if unknown:
        print(f"flake8-sqlsec: unknown rule code {unknown[0]!r}; known: {', '.join(RULES)}", file=sys.stderr)
        return 2
    print("\n\n".join(RULES[code.upper()].doc().rstrip() for code in args))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
