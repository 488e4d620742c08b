"""flake8-sqlsec: SQL injection and sensitive-data-in-log checks for flake8."""

__version__ = "0.1.0"
