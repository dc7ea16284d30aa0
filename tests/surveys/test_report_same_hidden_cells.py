"""The same answers hide the same cells in every process: the board's figures cannot be worked out by comparing two
pages.

Which complementary cells the anonymity fixed point hides depends on the order it meets the breakdowns. That order
came from Python's sets, whose order for strings (governorates) changes with each process's hash seed: two web
workers, or the same page before and after its cached cube expired, hid different cells around the same small one,
and the two pages side by side gave it away. The breakdowns now come in an order the cells alone decide.
"""

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

from surveys.reports.satisfaction import Cube
from tests.surveys.test_report_cube_reference import random_rows

ROOT = Path(__file__).resolve().parents[2]
HIDDEN_IN_A_FRESH_PROCESS = """
import hashlib, django
django.setup()
from surveys.reports.satisfaction import Cube
from tests.surveys.test_report_cube_reference import random_rows
print(hashlib.sha256(repr(sorted(map(repr, Cube(random_rows({seed})).hidden))).encode()).hexdigest())
"""


def fingerprint(hidden: set) -> str:
    return hashlib.sha256(repr(sorted(map(repr, hidden))).encode()).hexdigest()


def hidden_in_a_process_with_hash_seed(hash_seed: int, seed: int) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.test")
    done = subprocess.run(
        [sys.executable, "-c", HIDDEN_IN_A_FRESH_PROCESS.format(seed=seed)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_every_process_hides_the_same_cells_whatever_its_hash_seed():
    for seed in (0, 1):
        here = fingerprint(Cube(random_rows(seed)).hidden)

        elsewhere = {hidden_in_a_process_with_hash_seed(hash_seed, seed) for hash_seed in (1, 2, 3, 4)}

        assert elsewhere == {here}


def test_the_order_the_answers_are_read_in_changes_no_hidden_cell():
    for seed in (2, 3):
        rows = random_rows(seed)
        hidden = Cube(rows).hidden
        for shuffle_seed in range(10):
            shuffled = rows[:]
            random.Random(shuffle_seed).shuffle(shuffled)  # noqa: S311 (test data, not secrets)

            assert Cube(shuffled).hidden == hidden
