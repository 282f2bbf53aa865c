"""docker-compose.yml describes the production stack, and Compose itself accepts it (no engine needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def compose(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        require_service("docker-compose", "the command is not installed", "apt-get install docker-compose")
    return subprocess.run(
        [str(binary), *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}, check=False
    )


def test_compose_accepts_the_file_once_the_secrets_are_set() -> None:
    result = compose("config", "-q", SECRET_KEY="s3cret", POSTGRES_PASSWORD="pw")
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_the_secrets() -> None:
    result = compose("config", "-q", SECRET_KEY="", POSTGRES_PASSWORD="")
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD" in result.stderr or "set SECRET_KEY" in result.stderr


def test_the_stack_has_every_service_with_health_checks_and_migrations_first() -> None:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = spec["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "deadlines", "beat", "mailpit"}
    for name in ("postgres", "redis", "web", "worker", "deadlines", "beat", "mailpit"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "deadlines", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["casework", "db", "upgrade"]
    assert "noeviction" in services["redis"]["command"]


@pytest.mark.parametrize(
    ("service", "module", "path"),
    [
        ("web", "web.wsgi:application", "web/wsgi.py"),
        ("worker", "worker.celery_app", "worker/celery_app.py"),
        ("deadlines", "worker.celery_app", "worker/celery_app.py"),
        ("beat", "worker.celery_app", "worker/celery_app.py"),
    ],
)
def test_each_process_runs_code_that_exists(service: str, module: str, path: str) -> None:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert module in spec["services"][service]["command"]
    assert (ROOT / path).is_file()


def test_a_worker_of_its_own_takes_the_deadlines_queue_and_the_others_take_every_queue() -> None:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = spec["services"]
    assert "--queues=deadlines" in services["deadlines"]["command"]
    assert not [part for part in services["worker"]["command"] if part.startswith(("-Q", "--queues"))]
    assert services["worker"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"  # the broker, as for beat


def test_beat_keeps_its_schedule_in_a_volume_and_its_health_check_reads_it() -> None:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = spec["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    [mount] = beat["volumes"]
    volume, folder = mount.split(":")
    assert volume in spec["volumes"] and schedule.startswith(folder + "/")
    assert beat["healthcheck"]["test"][:5] == ["CMD", "python", "-m", "worker.health", "beat"]
    assert beat["healthcheck"]["test"][5] == schedule
    dockerfile = (ROOT / "web" / "Dockerfile").read_text()
    assert folder in dockerfile  # made, and given to the user the image runs as, so a new volume is writable


def test_the_image_the_stack_builds_copies_only_files_that_exist() -> None:
    """No engine here to build it, so check what a build would need: the Dockerfile and every file it copies."""
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    build = spec["services"]["web"]["build"]
    dockerfile = ROOT / build["context"] / build["dockerfile"]
    sources = [
        part
        for line in dockerfile.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for part in line.split()[1:-1]
    ]
    assert "package-lock.json" in sources and "pyproject.toml" in sources
    missing = [source for source in sources if not (ROOT / source).exists()]
    assert missing == []
    assert "web/build-assets.sh" in dockerfile.read_text()
