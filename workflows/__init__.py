"""What may happen: workflow definitions, statutory periods, calendars and eligibility rules.

Pure package: imports the standard library, `transitions` and `holidays` only,
never casework, web, worker, Flask, SQLAlchemy or Celery (enforced by import-linter).
"""
