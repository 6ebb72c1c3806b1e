"""Parallel reading and writing (``-j 2``) give the serial build's output, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import ROOT, Build, sphinx_build

pytestmark = pytest.mark.slow
COMPARED = {".html", ".xml", ".js", ".txt"}


def outputs(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in outdir.rglob("*")
        if p.is_file() and p.suffix in COMPARED and "_static" not in p.parts
    }


def test_parallel_build_equals_serial_build(site: Build, tmp_path: Path):
    parallel = sphinx_build(ROOT, tmp_path / "html", args=["-j", "2"])
    assert parallel.returncode == 0, parallel.output[-3000:]
    assert parallel.warnings == []
    assert "reading sources... [" in parallel.output and " .. " in parallel.output, "read in parallel chunks"
    serial, both = outputs(site.outdir), outputs(parallel.outdir)
    assert sorted(both) == sorted(serial)
    assert [name for name in serial if serial[name] != both[name]] == []
