"""Unbound Flask extensions, and how views reach the one Database and Settings built by create_app()."""

from __future__ import annotations

from typing import cast

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from casework.adapters.storage import FileStorage
from casework.config import Settings
from casework.db import Database

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def casework_db() -> Database:
    return cast(Database, current_app.extensions["casework_db"])


def settings() -> Settings:
    return cast(Settings, current_app.extensions["casework_settings"])


def storage() -> FileStorage:
    return cast(FileStorage, current_app.extensions["casework_storage"])
