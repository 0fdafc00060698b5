"""LinkChecker on the built site served over HTTP (anchors are checked only over HTTP)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

CONFIG = ROOT / "tests" / "linkcheckerrc"


def linkchecker() -> str:
    exe = Path(sys.executable).with_name("linkchecker")
    return str(exe) if exe.exists() else shutil.which("linkchecker")


def test_every_internal_link_and_anchor_resolves(site_url, tmp_path):
    result = subprocess.run(
        [linkchecker(), "--config", str(CONFIG), "--no-status", "--recursion-level=-1",
         "--output=text", site_url],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    report = result.stdout + result.stderr
    # LinkChecker reports a missing anchor as a warning, so warnings fail too.
    assert result.returncode == 0 and "Warning" not in report, report[-6000:]
    assert "0 errors found" in report or "0 warnings, 0 errors" in report, report[-3000:]
