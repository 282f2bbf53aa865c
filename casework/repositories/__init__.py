"""Query helpers that take a Session and never commit, roll back or close it."""
