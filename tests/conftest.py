from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import ROOT, Build, sphinx_build


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample site, built once per test run, strictly, into a temporary folder."""
    outdir = tmp_path_factory.mktemp("site") / "html"
    build = sphinx_build(ROOT, outdir)
    assert build.returncode == 0, build.output[-5000:]
    return build


@pytest.fixture
def root() -> Path:
    return ROOT
