"""The Content-Security-Policy of the built pages: strict, and its script hashes exactly those
of the inline scripts the pages carry (recomputed here from the built HTML)."""
from __future__ import annotations

import base64
import hashlib
import html
import re

from conftest import all_pages

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
FIRST_SCRIPT = re.compile(r"<script\b", re.I)
DATA_TYPES = ("application/json", "application/ld+json")


def policy(text: str) -> dict[str, list[str]]:
    m = META.search(text)
    assert m, "no Content-Security-Policy meta element"
    out = {}
    for part in html.unescape(m.group(1)).split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def inline_script_hashes(text: str) -> set[str]:
    """'sha256-…' of every inline script a browser would run (not data blocks, not src=)."""
    out = set()
    for attrs, body in SCRIPT.findall(text):
        if re.search(r"\bsrc=", attrs) or any(t in attrs for t in DATA_TYPES):
            continue
        out.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'")
    return out


def test_every_page_has_a_strict_policy_before_any_script(built_site):
    for url in all_pages(built_site):
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        p = policy(text)
        assert p["default-src"] == ["'self'"], url
        assert p["img-src"] == ["'self'", "data:"], url
        assert p["object-src"] == ["'none'"] and p["base-uri"] == ["'self'"], url
        script = p["script-src"]
        assert "'unsafe-eval'" not in script and "'unsafe-inline'" not in script, url
        assert all(v == "'self'" or v.startswith("'sha256-") for v in script), url
        for name, values in p.items():
            assert not any(v.startswith(("http:", "https:", "*")) or v in ("data:", "blob:")
                           for v in values) or (name, values) == ("img-src", ["'self'", "data:"]), (url, name)
        meta_at = META.search(text).start()
        first_script = FIRST_SCRIPT.search(text)
        assert first_script is None or meta_at < first_script.start(), f"{url}: a script comes before the policy"


def test_script_hashes_match_the_inline_scripts_exactly(built_site):
    """Every inline script is allowed by its hash, and no hash allows a script no page has
    (a stale allowance). On a theme upgrade this fails and prints the list to paste into
    docs/overrides/main.html."""
    used: set[str] = set()
    allowed: set[str] = set()
    problems = []
    for url in all_pages(built_site):
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        hashes = inline_script_hashes(text)
        listed = {v for v in policy(text)["script-src"] if v.startswith("'sha256-")}
        used |= hashes
        allowed |= listed
        if hashes - listed:
            problems.append(f"/{url}: inline scripts not allowed: {sorted(hashes - listed)}")
    if allowed - used:
        problems.append(f"hashes no page needs: {sorted(allowed - used)}")
    assert not problems, "\n".join(problems) + "\nscript-src should be: 'self' " + " ".join(sorted(used))
