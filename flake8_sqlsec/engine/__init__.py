"""The engine: Python semantics, naming no library.

It runs one shared pass per file (``cache.analysis_for``): the prefilter marks what is
worth interpreting, the driver schedules scopes through the interpreter, the interpreter
evaluates them to values, asks the world (``world.World``) about everything that is not
Python, and tells the checker families' hooks about calls, reads and escapes. See
docs/architecture.md.
"""
