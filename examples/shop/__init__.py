"""A small shop application used to demonstrate flake8-sqlsec."""
