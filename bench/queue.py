"""Benchmark of the staff work queue at 100,000 requests: `.venv/bin/python bench/queue.py` (make bench runs it).

The benchmark itself is bench/_queue_bench.py (its docstring says what it measures). This file only starts it,
because its name is also the standard library's `queue`: a script in bench/ has this folder first on sys.path,
so any `import queue` there (concurrent.futures, asgiref, celery...) finds this file. Imported that way, it
hands over the real module instead of shadowing it.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    # The standard library before this folder, so that `queue` is the real one from here on.
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE] + [str(HERE)]
    import _queue_bench

    sys.exit(_queue_bench.main())
else:
    import importlib.util
    import sysconfig

    _spec = importlib.util.spec_from_file_location("queue", Path(sysconfig.get_paths()["stdlib"]) / "queue.py")
    _real = importlib.util.module_from_spec(_spec)
    sys.modules["queue"] = _real
    _spec.loader.exec_module(_real)
    globals().update({name: value for name, value in vars(_real).items() if not name.startswith("__")})
