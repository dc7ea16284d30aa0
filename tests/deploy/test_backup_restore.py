"""scripts/backup.sh and scripts/restore.sh against PostgreSQL: a restore never lands on live data by accident."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="needs PostgreSQL"),
]


def server_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def run(script: str, *args: str, database: str, private: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DEBUG": "1",
        "DATABASE_URL": f"{server_url()}/{database}",
        "PRIVATE_MEDIA_ROOT": str(private),
        "CACHE_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": str(private.parent),
    }
    return subprocess.run([f"scripts/{script}", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def psql(database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-tA", f"{server_url()}/{database}", "-c", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def database_exists(name: str) -> bool:
    return name in psql("postgres", "SELECT datname FROM pg_database").split()


@pytest.fixture
def scratch_database():
    """A database name of our own, dropped before and after."""
    name = f"{connection.settings_dict['NAME']}_restore_target"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    psql("postgres", drop)
    yield name
    psql("postgres", drop)


@pytest.fixture
def backup(tmp_path):
    """A backup of the test database (its schema: every table of the portal) with two private files."""
    private = tmp_path / "source-private"
    (private / "receipts" / "ab").mkdir(parents=True)
    (private / "receipts" / "ab" / "r1.pdf").write_bytes(b"%PDF-1.7 receipt one")
    (private / "attachments.txt").write_text("deed")
    result = run("backup.sh", str(tmp_path / "backups"), database=connection.settings_dict["NAME"], private=private)
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip().splitlines()[-1])
    return ROOT / folder if not folder.is_absolute() else folder


def test_a_backup_holds_the_dump_the_files_and_their_checksums(backup):
    assert {path.name for path in backup.iterdir()} == {
        "database.dump",
        "private-files.tar.gz",
        "MANIFEST",
        "SHA256SUMS",
    }
    assert "database.dump" in (backup / "SHA256SUMS").read_text()


def test_restore_into_a_fresh_database_brings_back_tables_and_files(backup, scratch_database, tmp_path):
    private = tmp_path / "restored-private"

    result = run("restore.sh", str(backup), database=scratch_database, private=private)

    assert result.returncode == 0, result.stderr
    tables = int(psql(scratch_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
    assert tables == int(
        psql(connection.settings_dict["NAME"], "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    )
    assert (private / "receipts" / "ab" / "r1.pdf").read_bytes() == b"%PDF-1.7 receipt one"


def test_restore_refuses_a_database_that_is_not_empty(backup, scratch_database, tmp_path):
    psql("postgres", f'CREATE DATABASE "{scratch_database}"')
    psql(scratch_database, "CREATE TABLE live_data (id int); INSERT INTO live_data VALUES (1)")

    result = run("restore.sh", str(backup), database=scratch_database, private=tmp_path / "private")

    assert result.returncode == 3
    assert f"REFUSED: database '{scratch_database}' has 1 tables" in result.stderr
    assert psql(scratch_database, "SELECT count(*) FROM live_data") == "1"  # nothing touched


def test_restore_refuses_a_private_folder_that_has_files(backup, scratch_database, tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    (private / "someone-else.pdf").write_bytes(b"live")

    result = run("restore.sh", str(backup), database=scratch_database, private=private)

    assert result.returncode == 3
    assert "has 1 files" in result.stderr
    assert database_exists(scratch_database) is False


def test_force_replaces_the_database_and_sets_old_files_aside(backup, scratch_database, tmp_path):
    psql("postgres", f'CREATE DATABASE "{scratch_database}"')
    psql(scratch_database, "CREATE TABLE live_data (id int)")
    private = tmp_path / "private"
    private.mkdir()
    (private / "old.pdf").write_bytes(b"old")

    result = run("restore.sh", str(backup), "--force", database=scratch_database, private=private)

    assert result.returncode == 0, result.stderr
    assert psql(scratch_database, "SELECT count(*) FROM pg_tables WHERE tablename = 'live_data'") == "0"
    assert (private / "receipts" / "ab" / "r1.pdf").exists()
    assert [p.name for p in tmp_path.glob("private.before-restore-*/old.pdf")] == ["old.pdf"]


def test_a_damaged_backup_is_refused_before_anything_changes(backup, scratch_database, tmp_path):
    with open(backup / "database.dump", "ab") as dump:
        dump.write(b"tampered")

    result = run("restore.sh", str(backup), database=scratch_database, private=tmp_path / "private")

    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
    assert database_exists(scratch_database) is False
