import pytest
from django.core.management import CommandError, call_command

from members.models import AccessLog, Member
from tests.members.test_importing import as_csv, rows

pytestmark = pytest.mark.django_db


def test_the_command_imports_a_clean_file_naming_the_staff_member(tmp_path, staff_user, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(as_csv(rows(12)))

    call_command("import_members", str(path), "--by", staff_user.username)

    assert Member.objects.count() == 12
    assert AccessLog.objects.filter(viewer=staff_user).count() == 12
    assert "12" in capsys.readouterr().out


def test_the_command_imports_nothing_when_a_row_is_wrong(tmp_path):
    table = rows(12)
    table[3][3] = "0401234567"
    path = tmp_path / "register.csv"
    path.write_bytes(as_csv(table))

    with pytest.raises(CommandError):
        call_command("import_members", str(path))

    assert not Member.objects.exists()


def test_dry_run_imports_nothing(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(as_csv(rows(12)))

    call_command("import_members", str(path), "--dry-run")

    assert not Member.objects.exists()
