"""What did happen: persistence, services (one transaction each), queries and the CLI.

Imports workflows; never web, worker, Flask or Celery (enforced by import-linter).
"""
