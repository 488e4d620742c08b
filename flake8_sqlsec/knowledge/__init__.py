"""What flake8-sqlsec knows about the world, as data: the one place to add an API or a word.

- ``sql_apis``: the sink catalogue: which calls execute SQL text or take ORM fragments,
  the object kinds they hang off, and how those objects are made.
- ``statements``: the shape of a SQL statement, and where a name goes in one.
- ``fixes``: how to fix a finding in the terms of each driver and ORM.
- ``functions``: what library functions and methods do to a value put into SQL text
  (numbers, quoting, text that passes through, calls that never return).
- ``requests``: the request objects of web frameworks and the fields their data is read from.
- ``loggers``: logger methods, functions, names and classes, and calls that only show
  text to people.
- ``log_values``: what calls do to a value on its way into a log call, and the names
  that say a value is masked.
- ``db_errors``: which exception classes carry the statement and its parameters.
- ``secret_words``: the words of secrets and connection details; ``about_secret_words``:
  the words that say a name is only about a secret. ``flake8_sqlsec.checks.sensitive_names`` is the
  matcher that reads both.

Nothing here imports the analysis engine or the checks.
"""
