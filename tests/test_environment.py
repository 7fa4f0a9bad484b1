"""The environments the project sets up: the pinned lock, the explicit set-up commands of run.py,
and the rule that no test installs a package as a side effect."""
from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

from tests.conftest import ROOT, cli


def _pins(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def _run_py():
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lock_pins_pytz_and_the_browser_driver() -> None:
    pins = _pins(ROOT / "requirements.lock")
    assert pins["pytz"] and pins["duckdb"].startswith("2.")      # duckdb needs pytz for TIMESTAMPTZ
    assert pins["playwright"] == "1.65.2"


def test_lock_pins_every_requirement_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ]", r)[0]).lower() for r in wanted}
    assert names - set(_pins(ROOT / "requirements.lock")) == set()


def test_the_lock_names_a_command_that_exists() -> None:
    header = (ROOT / "requirements.lock").read_text().splitlines()[1]
    command = header.split("python3 run.py ", 1)[1].split()[0]
    assert command == "lock" and command in _run_py().SETUP_COMMANDS
    assert {"setup-browser", "setup-compat-clients"} <= set(_run_py().SETUP_COMMANDS)


def test_ci_runs_the_explicit_set_up_steps_before_the_suite() -> None:
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if not line.startswith("#")]
    text = "\n".join(lines)
    assert text.index("setup-compat-clients") < text.index("selftest")
    assert text.index("setup-browser") < text.index("selftest")


# commands as a subprocess argument list, or a venv being made (a message naming a command is fine)
INSTALLING = re.compile(r"""["']apt-get["'],\s*["']install|["']pip["'],\s*["']install|ensurepip|EnvBuilder""")


def test_no_test_installs_packages() -> None:
    """A test never installs system or Python packages (apt, pip, a venv) as a side effect."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")
                 if p.name != "test_environment.py" and INSTALLING.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_timestamp_with_time_zone_can_be_queried(reform_built: Path) -> None:
    """pytz: `select now()` and the build-history query of docs/operations.md."""
    outcome = cli(reform_built, "query", "select now() as t, finished_at from _warehouse_runs", "--format", "csv")
    assert outcome.code == 0, outcome.text
    assert outcome.out.splitlines()[0] == "t,finished_at" and len(outcome.out.splitlines()) == 2
    history = cli(reform_built, "query", "select build_id, finished_at, models_built, tests_warned "
                  "from _warehouse_runs order by finished_at desc limit 5")
    assert history.code == 0 and "1 row(s)" in history.out, history.text
