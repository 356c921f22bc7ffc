"""environment.yml (conda users) lists every dependency pyproject.toml declares."""

import re
import tomllib

import yaml

from repo_paths import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        declared |= {_name(r) for r in extra}
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in environment["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    (pip_section,) = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    pip_only = {_name(d) for d in pip_section if d != "-e ."}
    assert pip_section[-1] == "-e ."
    assert not conda & pip_only
    assert conda | pip_only == declared
    assert environment["channels"] == ["conda-forge"]
    assert any(d.startswith("python=3.11") for d in environment["dependencies"] if isinstance(d, str))
