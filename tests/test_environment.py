"""Course readiness: what a user, CI and Binder install agree with each other.

* pyproject.toml states compatible ranges (what ``pip install mi-ident`` resolves);
* requirements-lock.txt pins, with ``==``, every package of the dev environment that CI and
  ``make install`` use (``pip freeze`` of .venv without mi-ident itself), and satisfies every range;
* binder/requirements.txt is the lock with PyTorch's CPU index in front (what Binder installs);
* environment.yml restates pyproject's packages at the lock's versions under conda-forge names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml  # PyYAML: part of the Jupyter stack the dev extras install (jupyter_events)
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements-lock.txt"
BINDER_REQUIREMENTS = ROOT / "binder" / "requirements.txt"
#: The torch every machine of the course installs (the CPU wheel of it where one is configured).
LOCKED_TORCH = "2.13.0"
#: Binder's first line: pip then prefers torch==2.13.0+cpu (the CPU build) over PyPI's CUDA build.
CPU_INDEX_LINE = "--extra-index-url https://download.pytorch.org/whl/cpu"
#: pip name -> conda-forge name, where they differ.
CONDA_NAMES = {"torch": "pytorch"}
#: Packages of the conda environment that are infrastructure, not project dependencies.
CONDA_INFRASTRUCTURE = {"python", "pip"}
#: Files repo2docker reads from binder/ (it then ignores the repository root's configuration).
REPO2DOCKER_FILES = {"requirements.txt", "postBuild", "apt.txt", "start", "runtime.txt", "README.md"}
#: Files that repo2docker prefers over requirements.txt: none may sit in binder/ beside it.
REPO2DOCKER_PREFERRED = {"environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml", "install.R", "DESCRIPTION"}

_CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?:(?P<op>==|=)(?P<version>[^=\s]+)(?:=(?P<build>\S+))?)?$")
_LOCK_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._\-]*)==(?P<version>[^\s;#]+)$")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_requirements() -> list[Requirement]:
    """Every dependency and extra of pyproject.toml."""
    project = _pyproject()["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return [Requirement(line) for line in lines]


def _lines(text: str) -> list[str]:
    """The lines of a requirements file that pip reads (no comments or blank lines)."""
    lines = (line.split(" #")[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _requirement_lines(path: Path) -> list[str]:
    return _lines(path.read_text())


def _pins(lines: list[str], source: str) -> dict[str, str]:
    """'name==version' lines (pip freeze format) as canonical name -> exact version."""
    pins: dict[str, str] = {}
    for line in lines:
        match = _LOCK_LINE.match(line)
        assert match, f"{source}: {line!r} is not 'name==version' (pip freeze format)"
        name = canonicalize_name(match["name"])
        assert name not in pins, f"{source} pins {name} twice"
        pins[name] = match["version"]
    return pins


def _lock() -> dict[str, str]:
    """requirements-lock.txt as canonical name -> exact version."""
    return _pins(_requirement_lines(LOCK), "requirements-lock.txt")


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


# --- pyproject.toml: ranges -------------------------------------------------------------------------


def test_pyproject_states_ranges_with_tested_lower_bounds():
    for requirement in _pyproject_requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators and "===" not in operators, (
            f"pyproject.toml: state a range for {requirement} ('>=TESTED'); exact pins live in requirements-lock.txt"
        )
        assert ">=" in operators, f"pyproject.toml: give {requirement} a '>=' lower bound (a version CI tests)"


def test_lock_satisfies_every_pyproject_dependency():
    lock = _lock()
    for requirement in _pyproject_requirements():
        name = canonicalize_name(requirement.name)
        assert name in lock, f"requirements-lock.txt lacks {name}: pip install it in .venv and regenerate the lock"
        assert requirement.specifier.contains(lock[name], prereleases=True), (
            f"requirements-lock.txt's {name}=={lock[name]} is outside pyproject.toml's {requirement}"
        )


# --- requirements-lock.txt: exact versions ----------------------------------------------------------


def test_lock_pins_every_package_exactly_and_leaves_out_the_project():
    lines = _requirement_lines(LOCK)
    assert lines, "requirements-lock.txt is empty"
    assert not [line for line in lines if line.startswith("-")], "the lock holds no options or editable installs"
    assert "mi-ident" not in _lock(), "mi-ident is installed from the checkout (--no-deps -e .), not from the lock"


def test_lock_pins_exactly_the_course_torch():
    # 2.13.0, not 2.13.0+cpu: the local label would make pip refuse PyPI's wheel, and another version
    # would make pip download a multi-GB CUDA build on the course machines.
    assert _lock()["torch"] == LOCKED_TORCH, f"requirements-lock.txt: pin torch=={LOCKED_TORCH}"


# --- Makefile ---------------------------------------------------------------------------------------


def test_makefile_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.MULTILINE)
    assert stamp, "Makefile: the install rule '$(STAMP): ...' is missing"
    assert {"pyproject.toml", "requirements-lock.txt"} <= set(stamp[1].split()), (
        "Makefile: the stamp must depend on pyproject.toml and requirements-lock.txt"
    )
    installs = re.findall(r"pip install (.*)$", makefile, re.MULTILINE)
    assert any(re.search(r"-r requirements-lock\.txt\b", line) for line in installs), "Makefile: pip install -r requirements-lock.txt"
    assert any(re.search(r"--no-deps -e \.$", line) for line in installs), "Makefile: then pip install --no-deps -e ."
    loose = [line for line in installs if "==" in line or "[dev]" in line]
    assert not loose, f"Makefile: install versions from the lock only, not {loose}"


# --- environment.yml (conda) ------------------------------------------------------------------------


def test_environment_yml_names_pyproject_packages_at_the_lock_versions():
    lock, actual = _lock(), _environment_pins()
    expected = {canonicalize_name(requirement.name) for requirement in _pyproject_requirements()}
    missing = sorted(expected - set(actual))
    extra = sorted(set(actual) - expected)
    different = {name: (lock[name], actual[name]) for name in expected & set(actual) if lock.get(name) != actual[name]}
    assert not missing, f"add to environment.yml (conda names: {CONDA_NAMES}): {missing}"
    assert not extra, f"environment.yml has packages pyproject.toml does not name: {extra}"
    assert not different, f"versions differ (requirements-lock.txt, environment.yml): {different}"


def test_environment_uses_conda_forge_and_cpu_pytorch():
    assert _environment()["channels"] == ["conda-forge"]
    pytorch = _conda_specs()["pytorch"]
    assert pytorch["build"] and pytorch["build"].startswith("cpu"), (
        "environment.yml: ask for conda-forge's CPU build of PyTorch, e.g. 'pytorch=2.13.0=cpu*'"
    )


def test_environment_python_satisfies_requires_python():
    python = _conda_specs()["python"]["version"]
    assert python in SpecifierSet(_pyproject()["project"]["requires-python"]), python


# --- binder/ ----------------------------------------------------------------------------------------


def test_binder_requirements_are_the_lock_behind_the_cpu_index():
    lines = _requirement_lines(BINDER_REQUIREMENTS)
    assert lines and lines[0] == CPU_INDEX_LINE, f"binder/requirements.txt must start with {CPU_INDEX_LINE!r}"
    assert lines[1:] == _requirement_lines(LOCK), (
        f"binder/requirements.txt must be requirements-lock.txt with the index line on top: "
        f"(echo '{CPU_INDEX_LINE}'; cat requirements-lock.txt) > binder/requirements.txt"
    )


def test_binder_python_is_the_conda_python_and_satisfies_requires_python():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt: write 'python-X.Y', not {runtime!r}"
    assert match[1] in SpecifierSet(_pyproject()["project"]["requires-python"]), runtime
    assert match[1] == _conda_specs()["python"]["version"], "binder/runtime.txt and environment.yml name different Pythons"


def test_binder_holds_only_files_repo2docker_reads():
    present = {path.name for path in (ROOT / "binder").iterdir()}
    assert present <= REPO2DOCKER_FILES, f"repo2docker ignores {sorted(present - REPO2DOCKER_FILES)}"
    assert not present & REPO2DOCKER_PREFERRED, (
        f"repo2docker would use {sorted(present & REPO2DOCKER_PREFERRED)} instead of binder/requirements.txt"
    )


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


def test_readme_names_binders_file_and_the_cpu_torch_line():
    readme = (ROOT / "README.md").read_text()
    assert "binder/requirements.txt" in readme, "README.md: say which file Binder installs from"
    assert "binder/environment.yml" not in readme, "README.md still names the removed binder/environment.yml"
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in readme


@pytest.mark.parametrize("script", [".ci/run", "binder/postBuild"])
def test_entry_scripts_are_executable(script: str):
    assert os.access(ROOT / script, os.X_OK), f"chmod +x {script}"


def test_ci_installs_the_browser_the_browser_tests_drive():
    text = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"apt-get install .*chromium", text) and "make test" in text


# --- the Binder build steps, for real but offline -----------------------------------------------------

_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "results", "__pycache__", "*.egg-info", ".pytest_cache", ".ipynb_checkpoints")


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_binder_build_steps_install_the_locked_set_and_run_chapter_01(tmp_path: Path):
    """Replays Binder's build on the locked packages already installed here (~20 s).

    What it checks:

    * a fresh virtual environment (no system site-packages) that sees the packages of the lock as
      installed in the environment running this test (.venv, via a ``.pth`` file onto links to its
      site-packages entries), without the checkout's own mi-ident install or anything else that is
      not in the lock (say, a linter pip-installed into .venv by hand);
    * ``binder/postBuild`` runs unchanged in a temporary copy of the working tree and installs
      mi-ident there, from scratch (pip builds it as Binder does, fetching setuptools for the build);
    * ``pip check``: every requirement of every installed package, mi-ident's pyproject ranges
      included, is met, so the lock is complete and consistent;
    * ``pip freeze`` equals binder/requirements.txt (hence requirements-lock.txt) exactly, apart
      from torch's ``+cpu`` local label, so the lock is what was tested;
    * ``import mi_ident`` resolves to the copy, and chapter 01 (``notebooks/01_boolean_functions.ipynb``)
      executes without error through ``nbconvert --execute`` on a kernel of that fresh environment.

    What it cannot check here: downloading the packages (no wheels are fetched: the torch of
    PyTorch's CPU index and the other wheels of binder/requirements.txt are trusted to match the
    lock by name and version), repo2docker itself and its Python for binder/runtime.txt, the
    conda route of environment.yml (no conda here), and ``pip install mi-ident`` resolving the
    pyproject ranges from PyPI (only that the locked versions satisfy them, above).
    """
    locked_site = sorted({Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")})
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=_COPY_IGNORE, symlinks=True)

    # The locked packages only: not the checkout's own editable install of mi-ident, nor what was
    # pip-installed into .venv by hand (the locked set must stand on its own, as on Binder).
    lock = _lock().keys()
    locked_entries, other_entries = set(), set()
    for distribution in metadata.distributions(path=[str(site) for site in locked_site]):
        entries = {Path(file).parts[0] for file in distribution.files or [] if Path(file).parts[0] != ".."}
        if canonicalize_name(distribution.metadata["Name"]) in lock | {"pip", "setuptools", "wheel"}:  # pip freeze omits these three
            locked_entries |= entries
        else:
            other_entries |= entries
    links = tmp_path / "locked-site-packages"
    links.mkdir()
    for site in locked_site:
        for entry in site.iterdir():
            skip = entry.name in other_entries - locked_entries or entry.suffix == ".pth"
            if not skip and not (links / entry.name).exists():
                (links / entry.name).symlink_to(entry)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "locked.pth").write_text(f"{links}\n")
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)

    # Binder's last step, as repo2docker runs it: in the repository, with the environment's python first on PATH.
    _run([repo / "binder" / "postBuild"], cwd=repo, env=env)

    _run([python, "-m", "pip", "check"], env=env)
    frozen = _run([python, "-m", "pip", "freeze", "--exclude-editable"], env=env).stdout
    # torch==2.13.0+cpu installed satisfies the lock's torch==2.13.0: compare public versions.
    installed = {name: Version(v).public for name, v in _pins(_lines(frozen), "pip freeze").items()}
    locked = {name: Version(v).public for name, v in _pins(_requirement_lines(BINDER_REQUIREMENTS)[1:], "binder/requirements.txt").items()}
    assert installed == locked, {
        "installed, not locked": sorted(set(installed) - set(locked)),
        "locked, not installed": sorted(set(locked) - set(installed)),
        "other versions": {n: (installed[n], locked[n]) for n in set(installed) & set(locked) if installed[n] != locked[n]},
    }

    where = _run([python, "-c", "import mi_ident; print(mi_ident.__file__)"], cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(repo), f"mi_ident imported from {where}, not from postBuild's install"
    kernel = "from jupyter_client.kernelspec import KernelSpecManager as M; print(M().get_kernel_spec('python3').argv[0])"
    interpreter = _run([python, "-c", kernel], cwd=repo, env=env).stdout.strip()
    assert Path(interpreter).parent == python.parent, f"chapter 01 would run on another interpreter: {interpreter}"
    _run(
        [python, "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=60",
         "--output-dir", tmp_path / "executed", "--output", "01_boolean_functions",
         repo / "notebooks" / "01_boolean_functions.ipynb"],
        cwd=repo,
        env=env,
    )
    executed = json.loads((tmp_path / "executed" / "01_boolean_functions.ipynb").read_text())
    errors = [out for cell in executed["cells"] for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, errors

