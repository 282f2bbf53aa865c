"""Celery's Redis transport, with one defect of kombu 5.7 / Celery 5.7 worked around."""

from __future__ import annotations

from kombu.transport import redis


class Channel(redis.Channel):
    """A Redis channel whose close survives the broker having gone away.

    After losing the broker, Celery's consumer collects the connection (which detaches the transport
    from its client) and then closes it; restoring the unacknowledged messages then needs a client there
    no longer is, and the AttributeError would stop the worker. Those messages come back after the
    visibility timeout, and the replay re-queues what the database says is unfinished.
    """

    def close(self) -> None:
        try:
            super().close()
        except AttributeError:
            if self.connection is not None and self.connection.client is not None:
                raise


class Transport(redis.Transport):
    Channel = Channel
