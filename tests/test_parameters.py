"""Parameters are merged from parameters/ and checked before any notebook runs."""

import shutil
from pathlib import Path

import pytest
import yaml

from compare.parameters import ParameterError, load_parameters, project_root
from repo_paths import REPO


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with the real default parameters and the bundled reports."""
    (tmp_path / "parameters").mkdir()
    default = yaml.safe_load((REPO / "parameters" / "default.yaml").read_text(encoding="utf-8"))
    default["reports"] = [str(REPO / "data" / "reports")]
    default["population"] = None
    _write(tmp_path / "parameters" / "default.yaml", default)
    return tmp_path


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_bundled_parameters_load_for_the_bundled_year():
    params = load_parameters(2021, root=REPO)
    assert params.year == 2021
    assert params.sources == (REPO / "parameters" / "default.yaml", REPO / "parameters" / "2021.yaml")
    assert params.reports == ((REPO / "data" / "reports").resolve(),)
    assert len(params.indicators) == 60 and "disputes.litigation_loss_rate" in params.indicators
    assert params.weights["disputes"] == 1.0 and params.value_column == "value"


def test_a_year_file_overrides_the_default_and_notebook_values_override_both(project: Path):
    _write(project / "parameters" / "2023.yaml", {"lookback_years": 1, "weights": {"disputes": 2, "rules": 1}})
    params = load_parameters(2023, root=project)
    assert params.lookback_years == 1
    assert params.weights == {"disputes": 2.0, "rules": 1.0}  # replaced whole, not merged
    params = load_parameters(2023, root=project, overrides={"lookback_years": 3, "region": None})
    assert params.lookback_years == 3 and params.region is None


def test_a_year_without_a_file_uses_the_defaults(project: Path):
    params = load_parameters(2019, root=project)
    assert params.year == 2019 and params.sources == (project / "parameters" / "default.yaml",)


def test_unknown_key_names_the_file_and_the_valid_keys(project: Path):
    _write(project / "parameters" / "2022.yaml", {"lookback": 2})
    with pytest.raises(ParameterError) as error:
        load_parameters(2022, root=project)
    message = str(error.value)
    assert "2022.yaml" in message and "unknown key(s) lookback" in message
    assert "did you mean lookback_years" in message and "valid keys: year, lookback_years" in message


def test_unknown_indicator_lists_the_valid_choices(project: Path):
    with pytest.raises(ParameterError) as error:
        load_parameters(2021, root=project, overrides={"indicators": ["disputes.litigation_loss_rat"]})
    message = str(error.value)
    assert "unknown indicator 'disputes.litigation_loss_rat'" in message
    assert "did you mean disputes.litigation_loss_rate" in message
    assert "valid choices:" in message and "oversight.npc_proposals_handled" in message


def test_unknown_dimension_in_weights_is_refused(project: Path):
    with pytest.raises(ParameterError, match=r"weights names unknown id 'dispute'.*did you mean disputes"):
        load_parameters(2021, root=project, overrides={"weights": {"dispute": 1}})
    with pytest.raises(ParameterError, match=r"weights.rules must be a non-negative number"):
        load_parameters(2021, root=project, overrides={"weights": {"rules": -1}})


def test_unknown_region_lists_provinces(project: Path):
    with pytest.raises(ParameterError, match=r"unknown region '火星省'.*Provinces: 110000 北京市"):
        load_parameters(2021, root=project, overrides={"region": "火星省"})
    assert load_parameters(2021, root=project, overrides={"region": "江苏"}).region == "320000"


def test_bad_values_are_named(project: Path):
    with pytest.raises(ParameterError, match=r"level must be one of county, prefecture, got 'country'"):
        load_parameters(2021, root=project, overrides={"level": "country"})
    with pytest.raises(ParameterError, match=r"lookback_years must be a whole number from 0 to 30, got 'five'"):
        load_parameters(2021, root=project, overrides={"lookback_years": "five"})
    with pytest.raises(ParameterError, match=r"reports path nowhere does not exist"):
        load_parameters(2021, root=project, overrides={"reports": ["nowhere"]})
    with pytest.raises(ParameterError, match=r"per_10k_residents needs a population table"):
        load_parameters(2021, root=project, overrides={"normalization": "per_10k_residents"})


def test_a_damaged_file_is_named(project: Path):
    (project / "parameters" / "2020.yaml").write_text("year: [2020\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"2020.yaml: not valid YAML"):
        load_parameters(2020, root=project)


def test_dimensions_narrow_the_indicators(project: Path):
    params = load_parameters(2021, root=project, overrides={"dimensions": ["disputes"], "weights": {"disputes": 1}})
    assert params.indicators and all(i.startswith("disputes.") for i in params.indicators)
    assert params.weights == {"disputes": 1.0}


def test_project_root_is_found_from_a_subfolder(project: Path, monkeypatch):
    (project / "notebooks").mkdir()
    monkeypatch.delenv("COMPARE_ROOT", raising=False)
    assert project_root(project / "notebooks") == project
    with pytest.raises(ParameterError, match="no parameters/default.yaml"):
        project_root(Path(shutil.os.sep))
