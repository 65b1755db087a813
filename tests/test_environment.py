"""Course readiness: the conda/Binder environment mirrors pyproject.toml, and Binder finds what it needs.

pyproject.toml is the source of truth (exact pins); environment.yml restates the same packages and
versions under their conda-forge names, and binder/ holds what repo2docker reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml  # PyYAML: part of the Jupyter stack the dev extras install (jupyter_events)
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
#: pip name -> conda-forge name, where they differ.
CONDA_NAMES = {"torch": "pytorch"}
#: Packages of the conda environment that are infrastructure, not project dependencies.
CONDA_INFRASTRUCTURE = {"python", "pip"}
#: Files repo2docker reads from binder/ (it then ignores the repository root's configuration).
REPO2DOCKER_FILES = {"environment.yml", "postBuild", "apt.txt", "start", "runtime.txt", "README.md"}

_CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?:(?P<op>==|=)(?P<version>[^=\s]+)(?:=(?P<build>\S+))?)?$")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_pins() -> dict[str, str]:
    """Every dependency and extra of pyproject.toml as canonical pip name -> exact version."""
    project = _pyproject()["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    pins = {}
    for line in lines:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # one exact pin each, checked below
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_specs() -> dict[str, re.Match]:
    specs = {}
    for entry in _environment()["dependencies"]:
        if isinstance(entry, str):
            match = _CONDA_SPEC.match(entry)
            assert match, f"environment.yml: cannot read the conda spec {entry!r}"
            specs[match["name"].lower()] = match
    return specs


def _pip_section() -> list[str]:
    sections = [entry["pip"] for entry in _environment()["dependencies"] if isinstance(entry, dict)]
    return [line for section in sections for line in section]


def _environment_pins() -> dict[str, str]:
    """environment.yml's packages as canonical pip name -> exact version (conda names mapped back)."""
    pip_names = {conda: pip for pip, conda in CONDA_NAMES.items()}
    pins = {}
    for name, match in _conda_specs().items():
        if name in CONDA_INFRASTRUCTURE:
            continue
        # conda's "name=1.2" means 1.2.*; only "==1.2" or "=1.2=BUILD" pin one version.
        assert match["op"] == "==" or match["build"], (
            f"environment.yml: pin {match.string!r} exactly ('{name}==VERSION' or '{name}=VERSION=BUILD')"
        )
        pins[canonicalize_name(pip_names.get(name, name))] = match["version"]
    for line in _pip_section():
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"environment.yml pip section: pin {line!r} with =="
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_pyproject_pins_every_dependency_exactly():
    project = _pyproject()["project"]
    lines = list(project["dependencies"]) + [l for e in project["optional-dependencies"].values() for l in e]
    loose = [line for line in lines if [s.operator for s in Requirement(line).specifier] != ["=="]]
    assert not loose, f"pyproject.toml: pin these with == so every machine runs the same course: {loose}"


def test_environment_yml_names_the_same_packages_and_versions_as_pyproject():
    expected, actual = _pyproject_pins(), _environment_pins()
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    different = {name: (expected[name], actual[name]) for name in set(expected) & set(actual) if expected[name] != actual[name]}
    assert not missing, f"add to environment.yml (conda names: {CONDA_NAMES}): {missing}"
    assert not extra, f"environment.yml has packages pyproject.toml does not pin: {extra}"
    assert not different, f"versions differ (pyproject, environment.yml): {different}"


def test_environment_uses_conda_forge_and_cpu_pytorch():
    assert _environment()["channels"] == ["conda-forge"]
    pytorch = _conda_specs()["pytorch"]
    assert pytorch["build"] and pytorch["build"].startswith("cpu"), (
        "environment.yml: ask for conda-forge's CPU build of PyTorch, e.g. 'pytorch=2.13.0=cpu*'"
    )


def test_environment_python_satisfies_requires_python():
    python = _conda_specs()["python"]["version"]
    assert python in SpecifierSet(_pyproject()["project"]["requires-python"]), python


def test_makefile_installs_the_pinned_torch():
    torch = _pyproject_pins()["torch"]
    assert f"torch=={torch}" in (ROOT / "Makefile").read_text(), "Makefile's install line pins another torch"


def test_binder_environment_is_a_copy_of_environment_yml():
    binder = ROOT / "binder" / "environment.yml"
    assert binder.exists(), "Binder reads binder/environment.yml once binder/ exists: copy environment.yml there"
    assert binder.read_text() == (ROOT / "environment.yml").read_text(), "cp environment.yml binder/environment.yml"


def test_binder_holds_only_files_repo2docker_reads():
    present = {path.name for path in (ROOT / "binder").iterdir()}
    assert present <= REPO2DOCKER_FILES, f"repo2docker ignores {sorted(present - REPO2DOCKER_FILES)}"


def test_binder_post_build_installs_the_project():
    post_build = ROOT / "binder" / "postBuild"
    text = post_build.read_text()
    assert os.access(post_build, os.X_OK), "chmod +x binder/postBuild (repo2docker runs it as a program)"
    assert text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text, "a failing step must fail the Binder build"
    assert re.search(r"^python -m pip install --no-deps -e \.$", text, re.MULTILINE)
    check = subprocess.run(["bash", "-n", str(post_build)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_readme_binder_link_opens_the_notebooks():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab/tree/(\w+)", readme)
    assert links, "README.md needs a Binder badge linking to https://mybinder.org/v2/gh/OWNER/REPO/HEAD?urlpath=lab/tree/notebooks"
    for folder in links:
        assert (ROOT / folder).is_dir(), f"the Binder link opens {folder}/, which does not exist"


@pytest.mark.parametrize("script", [".ci/run", "binder/postBuild"])
def test_entry_scripts_are_executable(script: str):
    assert os.access(ROOT / script, os.X_OK), f"chmod +x {script}"


def test_ci_installs_the_browser_the_browser_tests_drive():
    text = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"apt-get install .*chromium", text) and "make test" in text
