"""Use cases: each public function opens, commits and closes exactly one transaction."""
