"""`casework run`: start the web server, the Celery worker and beat together, as `make run` does.

Spawns each as a child process (casework itself imports neither Flask nor
Celery), prefixes their output with their name, and stops them all on Ctrl-C
or when any one of them exits.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

import click

from casework import demo
from casework.cli import cli, database


def _commands(host: str, port: int) -> dict[str, list[str]]:
    python = sys.executable
    commands = {
        "worker": [python, "-m", "celery", "-A", "worker.celery_app", "worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "worker.celery_app",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(Path("var") / "celerybeat-schedule"),
        ],
    }
    if importlib.util.find_spec("web") is not None:
        commands = {
            # One process with threads (web.gunicorn_config): its rate limits count in one place with no Redis.
            "web": [
                python,
                "-m",
                "gunicorn",
                "-c",
                "python:web.gunicorn_config",
                "--bind",
                f"{host}:{port}",
                "web.wsgi:application",
            ],
            **commands,
        }
    return commands


def _pipe(name: str, stream: IO[str]) -> None:
    for line in stream:
        click.echo(f"{name:>6} | {line}", nl=False)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int) -> None:
    """Start web, worker and beat together; Ctrl-C stops all of them."""
    Path("var").mkdir(exist_ok=True)
    env = {**os.environ}
    if not env.get("SECRET_KEY"):
        # A demo needs no configuration; sessions simply do not survive a restart. Production sets SECRET_KEY.
        env["SECRET_KEY"] = secrets.token_urlsafe(32)
        click.echo("SECRET_KEY is not set: using a random one for this run (sign-ins end when it stops)")
    children: dict[str, subprocess.Popen[str]] = {}
    for name, command in _commands(host, port).items():
        child = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )
        children[name] = child
        assert child.stdout is not None  # noqa: S101 - piped above
        threading.Thread(target=_pipe, args=(name, child.stdout), daemon=True).start()
    click.echo(f"Started {', '.join(children)}")
    if "web" in children:
        threading.Thread(target=_announce, args=(f"http://{host}:{port}",), daemon=True).start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    status = 0
    try:
        while not stopping.is_set():
            ended = [name for name, child in children.items() if child.poll() is not None]
            if ended:
                click.echo(f"{', '.join(ended)} stopped; stopping the rest", err=True)
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(children)
    sys.exit(status)


def _announce(url: str) -> None:
    """Once the web answers, say where it is and how to sign in, after the start-up chatter, not lost in it."""
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - our own local server
                break
        except OSError:
            time.sleep(0.5)
    else:
        return
    db = database()
    try:
        how = demo.credentials() if demo.is_loaded(db) else "Create a user with: casework create-user --help"
    finally:
        db.dispose()
    click.echo(f"\ncasework is ready at {url}\n{how}\nSign in at {url}/account/sign-in; Ctrl-C stops everything.\n")


def _stop(children: dict[str, subprocess.Popen[str]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()  # the main process only: Celery and gunicorn stop their own children gracefully
    deadline = time.monotonic() + 20
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
