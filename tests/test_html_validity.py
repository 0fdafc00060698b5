"""The built HTML is valid: the Nu Html Checker (vnu) reports no error on any page, except
the few that tests/vnu-allowlist.txt explains.

vnu comes from npm (package.json pins ``vnu-jar``; ``make test`` runs ``npm ci``) and runs on
Java 11 or newer, in one JVM for all the pages.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = ROOT / "tests" / "vnu-allowlist.txt"

pytestmark = pytest.mark.slow  # one JVM start and a full check of every page


@dataclass
class Allowed:
    message: re.Pattern
    extract: re.Pattern | None
    reason: str
    line: int
    used: int = 0

    def matches(self, msg: dict) -> bool:
        return bool(self.message.search(msg.get("message", ""))) and \
            (self.extract is None or bool(self.extract.search(msg.get("extract", ""))))


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    entries, block, start = [], {}, 0
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    key = None
    for n, raw in enumerate(lines, 1):
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if block:
                assert "message" in block, f"{path.name}:{start}: an entry without 'message:'"
                assert block.get("reason", "").strip(), f"{path.name}:{start}: an entry without a reason"
                entries.append(Allowed(re.compile(block["message"]),
                                       re.compile(block["extract"]) if block.get("extract") else None,
                                       block["reason"], start))
            block, key = {}, None
            continue
        m = re.match(r"^(message|extract|reason):\s*(.*)$", raw)
        if m:
            key = m.group(1)
            block[key] = m.group(2).strip()
            start = start if len(block) > 1 else n
        else:
            assert key == "reason" and raw.startswith(" "), f"{path.name}:{n}: not 'message:', 'extract:' or 'reason:'"
            block[key] += " " + raw.strip()
    return entries


def java() -> str:
    path = shutil.which("java")
    if not path:
        pytest.fail("Java is not installed: the Nu Html Checker needs Java 11 or newer "
                    "(Debian: apt-get install default-jre-headless).", pytrace=False)
    return path


def run_vnu(files: list[Path]) -> list[dict]:
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci --ignore-scripts` in the repository "
                    "(`make test` does it from package-lock.json).", pytrace=False)
    result = subprocess.run([java(), "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                             *map(str, files)], capture_output=True, text=True)
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the Nu Html Checker did not run (exit {result.returncode}):\n"
                    f"{(result.stderr or result.stdout)[-2000:]}", pytrace=False)


def test_the_allowlist_is_well_formed():
    entries = load_allowlist()
    assert all(len(e.reason) > 30 for e in entries), "give each allowed message a real reason"


def test_every_built_page_is_valid_html(built_site):
    files = sorted(built_site.rglob("*.html"))
    assert files, "no HTML in the built site"
    messages = run_vnu(files)
    allowed = load_allowlist()
    left = []
    for msg in messages:
        entry = next((a for a in allowed if a.matches(msg)), None)
        if entry:
            entry.used += 1
        else:
            left.append(msg)
    report = []
    for msg in left[:40]:
        where = msg.get("url", "").replace("file:", "")
        try:
            where = str(Path(where).relative_to(built_site))
        except ValueError:
            pass
        extract = " ".join(msg.get("extract", "").split())[:160]
        report.append(f"{where}:{msg.get('lastLine', '?')}: {msg.get('type')}: {msg.get('message')}\n    {extract}")
    if left:
        pytest.fail(f"the Nu Html Checker reports {len(left)} error(s) that tests/vnu-allowlist.txt does not "
                    f"explain (first {len(report)}):\n" + "\n".join(report), pytrace=False)
    unused = [f"{ALLOWLIST.name}:{a.line}: {a.message.pattern}" for a in allowed if not a.used]
    assert not unused, "allow-list entries that no longer match any message (remove them):\n" + "\n".join(unused)
