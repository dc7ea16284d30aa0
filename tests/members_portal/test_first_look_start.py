"""The first look (`make run`: SQLite, the filesystem broker) starts without warnings that are no one's to fix."""

from tests.members_portal.test_production_settings import run_python


def test_the_system_check_on_sqlite_has_no_warning_about_the_queues_covering_indexes(tmp_path):
    result = run_python(
        "from django.core.management import execute_from_command_line as run; "
        "run(['manage.py', 'check', '--fail-level', 'WARNING'])",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "W040" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
