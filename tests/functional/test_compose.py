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
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat", "mailpit"}
    for name in ("postgres", "redis", "web", "worker", "mailpit"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["casework", "db", "upgrade"]
    assert "noeviction" in services["redis"]["command"]


@pytest.mark.parametrize(
    ("service", "module", "path"),
    [
        ("web", "web.wsgi:application", "web/wsgi.py"),
        ("worker", "worker.celery_app", "worker/celery_app.py"),
        ("beat", "worker.celery_app", "worker/celery_app.py"),
    ],
)
def test_each_process_runs_code_that_exists(service: str, module: str, path: str) -> None:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert module in spec["services"][service]["command"]
    assert (ROOT / path).is_file()


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
