"""How the Celery application is put together from the settings: which broker, where its files go."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.config import Settings
from worker.celery_app import broker_options

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
