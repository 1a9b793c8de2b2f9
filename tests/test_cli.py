"""The operator's CLI: accounts, keys and the demo data set, usable by scripts."""

import json
import uuid

import pytest
from typer.testing import CliRunner

from roomsets.cli import app
from roomsets.settings import get_settings
from tests.conftest import TEST_SECRET


@pytest.fixture
def roomsets(database, clean_tables, monkeypatch):
    monkeypatch.setenv("ROOMSETS_DATABASE_URL", database.url)
    monkeypatch.setenv("ROOMSETS_SECRET_KEY", TEST_SECRET)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    yield run
    get_settings.cache_clear()


def test_user_create_prints_the_user_id_alone(roomsets):
    result = roomsets("user", "create", "--email", "Ana@Example.test", "--first-name", "Ana", "--last-name", "Lima", "--company", "Acme")
    uuid.UUID(result.stdout.strip())
    assert result.stdout.count("\n") == 1


def test_duplicate_email_exits_non_zero_with_one_line(roomsets):
    roomsets("user", "create", "--email", "ana@example.test", "--first-name", "Ana", "--last-name", "Lima")
    result = roomsets("user", "create", "--email", "ANA@example.test", "--first-name", "A", "--last-name", "L", ok=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "exists already" in result.stderr and result.stderr.count("\n") == 1


def test_key_lifecycle(roomsets):
    roomsets("user", "create", "--email", "kim@example.test", "--first-name", "Kim", "--last-name", "Lee", "--guest")
    key = roomsets("key", "create", "--email", "kim@example.test").stdout.strip()
    assert key.startswith("rsk_")
    listed = json.loads(roomsets("key", "list", "--email", "kim@example.test", "--json").stdout)
    assert [k["prefix"] for k in listed] == [key[:12]]
    assert key not in roomsets("key", "list", "--email", "kim@example.test").stdout
    assert listed[0]["revokedDateTime"] is None
    roomsets("key", "revoke", key[:12])
    listed = json.loads(roomsets("key", "list", "--email", "kim@example.test", "--json").stdout)
    assert listed[0]["revokedDateTime"] is not None


def test_key_for_unknown_user_fails(roomsets):
    result = roomsets("key", "create", "--email", "nobody@example.test", ok=False)
    assert result.exit_code == 1 and "no user" in result.stderr


def test_revoking_an_unknown_prefix_fails(roomsets):
    result = roomsets("key", "revoke", "rsk_nothing!", ok=False)
    assert result.exit_code == 1 and "no API key" in result.stderr


def test_demo_prints_the_same_working_key_twice(roomsets):
    first = roomsets("demo")
    second = roomsets("demo")
    assert first.stdout == second.stdout and first.stdout.strip().startswith("rsk_")
    assert "already present" in second.stderr
