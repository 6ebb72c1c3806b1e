from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import ROOT, Build, sphinx_build, stop_browser


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


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The one Chromium of this process (tests/buildsite.py's browser_session) stops with the session."""
    stop_browser()
