"""Derived outlines in an anatomy spec: what the site build reads (no mesh library needed).

A spec with a ``derive:`` block (the framing of a view of 3D bone meshes, see
``outlines.py``) leaves out the path data: a bone without ``outline`` takes its outline and
details, a region without ``shape`` its shape and anchor from the committed file
``diagrams/anatomy/outlines/<id>.json``, which ``python -m generators outlines`` writes.

``merge(data, spec_path)`` fills them in (in place, before validation) and returns the
problems as (keys, message). ``current(spec_path)`` tells whether that file still matches
its inputs (spec framing, parts, placements, the deriving code) without any mesh.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

OUTLINES = "outlines"          # folder beside the specs
VERSION = "1"


def derived_path(spec_path: Path) -> Path:
    spec_path = Path(spec_path)
    return spec_path.parent / OUTLINES / f"{spec_path.stem}.json"


def merge(data: dict, spec_path: Path) -> list[tuple[tuple, str]]:
    """Fill in derived outlines (bones) and shapes (regions) a spec leaves out."""
    if not isinstance(data, dict) or "derive" not in data:
        return []
    if not isinstance(data["derive"], dict):
        return [(("derive",), "expected the framing of the view (centre, at, scale)")]
    path = derived_path(spec_path)
    rerun = f"run: python -m generators outlines diagrams/anatomy/{Path(spec_path).name}"
    try:
        derived = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return [(("derive",), f"no derived outlines file outlines/{path.name}; {rerun}")]
    except ValueError as exc:
        return [(("derive",), f"outlines/{path.name} is not valid JSON ({exc}); {rerun}")]
    if not isinstance(derived, dict) or derived.get("version") != VERSION:
        return [(("derive",), f"outlines/{path.name} has an unknown format; {rerun}")]
    problems = []
    bones, regions = derived.get("bones") or {}, derived.get("regions") or {}
    for i, b in enumerate(data.get("bones") or []):
        if isinstance(b, dict) and "outline" not in b and isinstance(b.get("id"), str):
            got = bones.get(b["id"])
            if not isinstance(got, dict) or not isinstance(got.get("outline"), str):
                problems.append((("bones", i, "outline"), f"no derived outline for bone '{b['id']}'; {rerun}"))
                continue
            b["outline"] = got["outline"]
            if isinstance(got.get("details"), str) and "details" not in b:
                b["details"] = [got["details"]]
    for i, r in enumerate(data.get("regions") or []):
        if isinstance(r, dict) and "shape" not in r and isinstance(r.get("id"), str):
            got = regions.get(r["id"])
            if not isinstance(got, dict) or not isinstance(got.get("shape"), str):
                problems.append((("regions", i, "shape"), f"no derived shape for region '{r['id']}'; {rerun}"))
                continue
            r["shape"] = {"path": got["shape"]}
            if "anchor" not in r and isinstance(got.get("anchor"), list):
                r["anchor"] = got["anchor"]
        if isinstance(r, dict):
            r.pop("part", None)      # which part of the anatomy (outlines/parts.yaml); used by the deriving step
    return problems


def inputs_hash(data: dict, spec_path: Path, code: bytes) -> str:
    """sha256 of everything a derived file depends on: the view, side, size and derive
    block of the spec, the parts it uses, the placements of its meshes and the deriving code
    (``code``). The meshes enter through their placements (which record each mesh's sha256)."""
    folder = derived_path(spec_path).parent
    parts = _yaml(folder / "parts.yaml")
    placements = json.loads((folder / "placements.json").read_text(encoding="utf-8"))
    h = hashlib.sha256()
    h.update(VERSION.encode())
    h.update(code)
    h.update(json.dumps({k: data.get(k) for k in ("view", "side", "size", "derive")}, sort_keys=True,
                        default=str).encode())
    regions = [r for r in data.get("regions") or [] if isinstance(r, dict) and "shape" not in r]
    used = sorted({r.get("part", r.get("id")) for r in regions})
    h.update(json.dumps({k: parts.get(k) for k in used}, sort_keys=True, default=str).encode())
    h.update(json.dumps([(r.get("id"), r.get("part"), r.get("bone")) for r in regions], default=str).encode())
    bones = [b.get("id") for b in data.get("bones") or [] if isinstance(b, dict) and "outline" not in b]
    h.update(json.dumps(bones).encode())
    h.update(json.dumps(placements, sort_keys=True).encode())
    return h.hexdigest()


def _yaml(path: Path):
    from ..core.specfile import load as load_yaml

    return load_yaml(path).data if path.exists() else {}
