import re

from django.conf import settings

SETTINGS_READ = re.compile(
    r"""(?:os\.environ(?:\.get)?[(\[]|env_bool\(|env_list\(|required_in_production\()"([A-Z][A-Z0-9_]+)\""""
)
NAME_IN_TUPLE = re.compile(r'"([A-Z][A-Z0-9_]+)"')


# The modules a deployment runs with (test.py is the suite's own; embedded.py the defaults of `make run`).
NOT_DEPLOYED = {"test.py", "embedded.py", "__init__.py"}


def names_the_settings_read() -> set[str]:
    folder = settings.BASE_DIR / "members_portal" / "settings"
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py")) if path.name not in NOT_DEPLOYED
    )
    names = set(SETTINGS_READ.findall(source))
    for line in source.splitlines():  # names kept in a tuple first, e.g. the S3 ones
        if re.match(r"\s*_\w+_names = \(", line):
            names |= set(NAME_IN_TUPLE.findall(line))
    return names


def test_env_example_lists_every_variable_the_settings_read_with_a_meaning():
    lines = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {}
    for number, line in enumerate(lines):
        match = re.match(r"#?\s?([A-Z][A-Z0-9_]+)=", line)
        if match:
            documented[match.group(1)] = lines[number - 1]

    read = names_the_settings_read()

    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read
    assert sorted(read - set(documented)) == []
    assert [name for name, above in documented.items() if not above.startswith("# ")] == []
