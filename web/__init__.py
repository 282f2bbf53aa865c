"""The Flask adapter: pages on the GOV.UK Design System, the public register and the JSON API.

Imports casework services and queries, never the broker: work for the worker
leaves through outbox rows written by casework services.
"""
