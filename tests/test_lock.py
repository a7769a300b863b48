"""requirements.lock pins every dependency, with hashes, and the test venv was built from it."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    return {canonicalize_name(Requirement(r).name) for r in wanted}


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def test_every_declared_dependency_is_pinned():
    missing = _declared() - set(_locked())
    assert not missing, f"run scripts/lock.sh: {sorted(missing)} not in requirements.lock"


def test_every_pin_carries_a_hash():
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text())
    unhashed = [e.split()[0] for e in entries if PIN.match(e) and "--hash=sha256:" not in e]
    assert not unhashed


def test_the_venv_holds_the_locked_versions():
    locked = _locked()
    drift = {
        name: (metadata.version(name), locked[name])
        for name in _declared()
        if metadata.version(name) != locked[name]
    }
    assert not drift, f"installed vs locked (run scripts/setup.sh): {drift}"
