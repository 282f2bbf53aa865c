"""The Celery adapter: beat nudges the sweeps and the outbox relay; workers plan and send deliveries.

Imports casework (services, config, db) and Celery; never web or Flask.
"""
