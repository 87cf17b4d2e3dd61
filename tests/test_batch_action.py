"""action.yml: a composite GitHub Action whose convert step is run here, as a runner would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_batch import IMAGE_OUTSIDE, editions_in, write_articles

ACTION = Path(__file__).resolve().parent.parent / "action.yml"


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def convert_step(action: dict) -> dict:
    return next(step for step in action["runs"]["steps"] if step.get("id") == "convert")


def test_action_shape(action):
    assert action["runs"]["using"] == "composite"
    assert {"paths", "formats", "output", "strict"} <= set(action["inputs"])
    step = convert_step(action)
    # inputs arrive through env, so a path like `$(rm -rf ~)` is data, not script
    assert "${{" not in step["run"]
    assert step["env"]["CONVERTER_PATHS"] == "${{ inputs.paths }}"
    install = next(s for s in action["runs"]["steps"] if s.get("name") == "Install converter")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def run_step(action: dict, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, Path]:
    step = convert_step(action)
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = {**os.environ, "GITHUB_OUTPUT": str(tmp_path / "github_output"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for key, template in step["env"].items():
        name = template.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[name]
    done = subprocess.run(["bash", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True,
                          text=True, check=False, timeout=300)
    return done, tmp_path / "github_output"


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_convert_step_runs_the_batch(action, tmp_path):
    write_articles(tmp_path / "in")
    done, outputs = run_step(action, tmp_path, paths="in/*.txt\nin/sowing.md", formats="md",
                             output="site")
    assert done.returncode == 0, done.stderr
    assert editions_in(tmp_path / "site") == ["ferry.md", "notes.md", "report.json", "sowing.md"]
    assert outputs.read_text().strip() == "report=site/report.json"
    report = json.loads((tmp_path / "site" / "report.json").read_text())
    assert report["summary"]["ok"] == 3

    (tmp_path / "in" / "gallery.md").write_text(IMAGE_OUTSIDE, encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"x")
    done, _ = run_step(action, tmp_path, paths="in", formats="epub", output="strict",
                       strict="true", report="strict.json")
    assert done.returncode == 1
    assert "gallery.md: warning treated as error (--strict)" in done.stderr
    done, _ = run_step(action, tmp_path, paths="in", strict="maybe")
    assert done.returncode == 2 and "'strict' must be true or false" in done.stdout
