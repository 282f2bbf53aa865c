"""Facts the guards need that only the database knows, gathered before a trigger is fired: one module per process,
and the lookups they share (bodies, listings, disposals, rankings)."""
