"""How the Celery application is put together from the settings: which broker, where its files go."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from kombu import Connection
from kombu.transport import redis as kombu_redis

from casework import clock
from casework.config import Settings
from tests.e2e.conftest import redis_url  # noqa: F401  (a Redis database of its own, as the e2e tests have)
from worker import broker, health
from worker.celery_app import beat_schedule, broker_options, create_celery

pytestmark = pytest.mark.integration  # imports the worker, whose module builds a Celery app


def test_the_embedded_broker_keeps_all_its_files_under_var_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    options = broker_options(Settings.from_env({}))

    assert options["broker_url"] == "filesystem://"
    folders = {k: v for k, v in options["broker_transport_options"].items() if k.endswith("_folder")}
    assert folders == {"processed_folder": "var/broker/processed", "control_folder": "var/broker/control"}
    assert options["broker_transport_options"]["data_folder_in"] == "var/broker/queue"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["var"]  # nothing else in the working directory
    assert sorted(p.name for p in (tmp_path / "var" / "broker").iterdir()) == ["control", "processed", "queue"]


def test_redis_url_alone_chooses_redis_as_compose_sets_it_and_celery_broker_url_wins_over_it() -> None:
    assert broker_options(Settings.from_env({"REDIS_URL": "redis://redis:6379/0"}))["broker_url"] == (
        "redis://redis:6379/0"
    )
    both = {"REDIS_URL": "redis://redis:6379/0", "CELERY_BROKER_URL": "redis://elsewhere:6379/3"}
    options = broker_options(Settings.from_env({**both, "BROKER_VISIBILITY_TIMEOUT": "900"}))
    assert options["broker_url"] == "redis://elsewhere:6379/3"
    assert options["broker_transport_options"] == {"visibility_timeout": 900}


def test_sending_email_goes_to_the_mail_queue_and_everything_else_to_the_deadlines_queue() -> None:
    app = create_celery(Settings.from_env({"REDIS_URL": "redis://127.0.0.1:6379/0"}))
    names = [entry["task"] for entry in beat_schedule(Settings.from_env({"NOTIFY_API_KEY": "key"})).values()]
    names += ["worker.dispatch_messages", "worker.dispatch_message", "worker.send_deliveries", "worker.send_delivery"]
    routes = {name: app.amqp.router.route({}, name)["queue"].name for name in names}
    assert routes == {
        "worker.relay_outbox": "deadlines",
        "worker.sweep_deadlines": "deadlines",
        "worker.replay_unfinished": "deadlines",
        "worker.send_officer_digests": "deadlines",
        "worker.load_register_imports": "deadlines",  # rare (a council's first import) and at most a minute
        "worker.dispatch_messages": "mail",
        "worker.dispatch_message": "mail",
        "worker.send_deliveries": "mail",
        "worker.send_delivery": "mail",
        "worker.check_provider_statuses": "mail",
        "worker.prepare_letters": "mail",  # letters are notices too: they wait behind nothing else's deadlines
        "worker.check_letter_statuses": "mail",
    }
    assert {queue.name for queue in app.conf.task_queues} == {"deadlines", "mail", "celery"}  # a bare worker: all


def test_beat_sweeps_as_often_as_configured_and_asks_notify_only_when_it_is_used() -> None:
    plain = beat_schedule(Settings.from_env({"SWEEP_SECONDS": "5"}))
    assert plain["sweep-deadlines"] == {"task": "worker.sweep_deadlines", "schedule": 5.0}
    assert "provider-statuses" not in plain
    notify = beat_schedule(Settings.from_env({"NOTIFY_API_KEY": "key", "PROVIDER_STATUS_SECONDS": "120"}))
    assert notify["provider-statuses"]["schedule"] == 120.0
    assert "letter-statuses" not in plain and notify["letter-statuses"]["schedule"] == 120.0
    assert plain["prepare-letters"]["task"] == "worker.prepare_letters"  # printed by officers without Notify


def test_the_beat_health_check_fails_once_beat_stops_writing_its_schedule(tmp_path: Path) -> None:
    schedule = tmp_path / "celerybeat-schedule"
    assert health.main(["beat", str(schedule)]) == 1  # never written
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"")  # dbm may add a suffix
    assert health.main(["beat", str(schedule), "--within", "60"]) == 0
    old = time.time() - 120
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert health.main(["beat", str(schedule), "--within", "60"]) == 1


def test_the_clock_every_process_reads_jumps_when_its_file_changes_and_goes_on_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = clock.utcnow()
    monkeypatch.setenv(clock.CLOCK_FILE, str(tmp_path / "clock"))
    assert abs(clock.utcnow() - real) < timedelta(seconds=5)  # no file yet: the wall clock

    clock.set_offset_file(tmp_path / "clock", datetime(2026, 5, 12, 23, tzinfo=UTC))
    first = clock.utcnow()
    assert timedelta(0) <= first - datetime(2026, 5, 12, 23, tzinfo=UTC) < timedelta(seconds=5)
    assert clock.utcnow() >= first  # time goes on
    clock.set_offset_file(tmp_path / "clock", datetime(2026, 4, 28, 7, tzinfo=UTC))
    assert clock.london_date(clock.utcnow()) == date(2026, 4, 28)

    monkeypatch.delenv(clock.CLOCK_FILE)
    assert abs(clock.utcnow() - real) < timedelta(seconds=5)  # as in production: the wall clock only


def test_a_redis_broker_uses_the_transport_that_rides_out_a_restart_and_its_close_survives_a_lost_client(
    redis_url: str,  # noqa: F811
) -> None:
    """What Celery does when Redis goes away with a message unacknowledged: it detaches the transport's client,
    then closes the channel, whose restore of that message raised AttributeError in kombu's own channel and
    stopped the worker (seen in the drills). Ours lets the restore go: the visibility timeout and the replay
    bring the message back."""
    assert isinstance(create_celery(Settings.from_env({"REDIS_URL": redis_url})).connection_for_write().transport,
                      broker.Transport)  # fmt: skip
    results = []
    for transport in (kombu_redis.Transport, broker.Transport):
        connection = Connection(redis_url, transport=transport)
        channel = connection.default_channel
        channel.qos.append(_Unacknowledged(), "tag-1")
        connection.transport.client = None
        try:
            channel.close()
            results.append("closed")
        except AttributeError as exc:
            results.append(str(exc))
        connection.release()
    assert results == ["'NoneType' object has no attribute 'hostname'", "closed"]


class _Unacknowledged:
    """A message delivered and not yet acknowledged, as the channel's QoS holds it."""

    delivery_tag = "tag-1"
    _raw = None
    delivery_info = {"exchange": "", "routing_key": "deadlines"}  # noqa: RUF012

    def serializable(self) -> dict[str, object]:
        return {}
