"""Installed packages (`dbt_packages/`, or `packages-install-path`) and the `deps` command.

A package is a dbt project installed in a folder of the install path: its models, seeds,
macros and generic tests join the build, namespaced by its name (`model.<pkg>.<name>`,
`{{ pkg.macro() }}`, `ref('pkg', 'model')`). `deps` installs what `packages.yml` (or
`dependencies.yml`) lists: `local:` folders are copied, `git:` repositories cloned at their
`revision`, hub packages fetched from hub.getdbt.com when the network allows.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, load_yaml, reject_unknown_keys
from warehouse.project.dbt_project import PROJECT_FILE, ProjectFile, read_project_file

PACKAGE_FILES = ("packages.yml", "dependencies.yml")
ENTRY_KEYS = ("local", "git", "revision", "subdirectory", "package", "version", "warn-unpinned",
              "install-prerelease", "private", "name")
HUB = "https://hub.getdbt.com/api/v1"


def installed(root: ProjectFile, cli_vars: dict[str, Any]) -> list[ProjectFile]:
    """Every package installed under the root project's install path, sorted by name."""
    base = root.packages_install_path
    if not base.is_dir():
        return []
    found = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (folder / PROJECT_FILE).is_file():
            package = read_project_file(folder, cli_vars, is_root=False)
            if package.name == root.name:
                raise ProjectError(f"package in {folder} has the root project's own name '{root.name}'",
                                   Location(folder / PROJECT_FILE, 1))
            found.append(package)
    names = [p.name for p in found]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ProjectError(f"two installed packages are named '{duplicate}'", Location(base))
    return found


def package_entries(root: Path) -> tuple[Path | None, list[Mapping]]:
    for name in PACKAGE_FILES:
        file = root / name
        if file.is_file():
            data = load_yaml(file, Path(name)) or {}
            entries = data.get("packages") if isinstance(data, dict) else None
            if entries is None:
                return file, []
            if not isinstance(entries, list):
                raise ProjectError("packages: must be a list", Location(Path(name), 1))
            return file, entries
    return None, []


def install(root: ProjectFile, say: Any = print) -> list[str]:
    """`deps`: install every listed package into the install path; returns their names."""
    file, entries = package_entries(root.root)
    if file is None:
        say("no packages.yml or dependencies.yml: nothing to install")
        return []
    target = root.packages_install_path
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ProjectError("each package entry must be a mapping (local:, git: or package:)", Location(file.name))
        reject_unknown_keys(entry, ENTRY_KEYS, "a packages.yml entry", Path(file.name))
        with tempfile.TemporaryDirectory(prefix="deps-") as tmp:
            source = _fetch(entry, root.root, Path(tmp), file)
            name = _package_name(source, entry, file)
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".git", "target", "dbt_packages"))
        names.append(name)
        shown = destination.relative_to(root.root) if destination.is_relative_to(root.root) else destination
        say(f"installed {name} into {shown}")
    return names


def _where(entry: Any, key: str, file: Path) -> Location:
    return entry.where(key) if isinstance(entry, Mapping) else Location(file)


def _fetch(entry: dict, project_root: Path, tmp: Path, file: Path) -> Path:
    if "local" in entry:
        source = (project_root / str(entry["local"])).resolve()
        if not (source / PROJECT_FILE).is_file():
            raise ProjectError(f"local package {entry['local']} has no {PROJECT_FILE}", _where(entry, "local", file))
        return source
    if "git" in entry:
        command = ["git", "clone", "--quiet", "--depth", "1"]
        if entry.get("revision"):
            command += ["--branch", str(entry["revision"])]
        done = subprocess.run([*command, str(entry["git"]), str(tmp / "repo")], capture_output=True, text=True)
        if done.returncode != 0:
            raise ProjectError(f"git clone of {entry['git']} failed: {done.stderr.strip()[:300]}",
                               _where(entry, "git", file), hint="check the URL, the revision and network access")
        return tmp / "repo" / str(entry.get("subdirectory") or "")
    if "package" in entry:
        return _from_hub(entry, tmp, file)
    raise ProjectError("a package entry needs local:, git: or package:", _where(entry, "name", file))


def _from_hub(entry: dict, tmp: Path, file: Path) -> Path:
    """hub.getdbt.com: the package's index names a tarball per version."""
    name, version = str(entry["package"]), str(entry.get("version") or "")
    try:
        with urllib.request.urlopen(f"{HUB}/{name}.json", timeout=20) as response:
            index = json.load(response)
        versions = index.get("versions", {})
        chosen = version.strip("=<> ") if version.strip("=<> ") in versions else index.get("latest")
        tarball = versions[chosen]["downloads"]["tarball"]
        archive = tmp / "package.tar.gz"
        urllib.request.urlretrieve(tarball, archive)  # noqa: S310 - the hub's own https URL
    except Exception as exc:  # noqa: BLE001 - no network, unknown package, unexpected index
        raise ProjectError(f"cannot fetch hub package {name} {version}: {exc}", _where(entry, "package", file),
                           hint="hub packages need network access; a local: or git: entry works offline") from None
    shutil.unpack_archive(archive, tmp / "unpacked")
    tops = [p for p in (tmp / "unpacked").iterdir() if p.is_dir()]
    return tops[0] if len(tops) == 1 else tmp / "unpacked"


def _package_name(source: Path, entry: dict, file: Path) -> str:
    if not (source / PROJECT_FILE).is_file():
        raise ProjectError(f"{source} has no {PROJECT_FILE}: not a dbt package", Location(file.name))
    data = load_yaml(source / PROJECT_FILE) or {}
    if not isinstance(data, dict) or not data.get("name"):
        raise ProjectError(f"the package at {source} has no name in its {PROJECT_FILE}", Location(file.name))
    return str(data["name"])
