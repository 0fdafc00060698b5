"""Several views of one joint (front and side...) in one figure, with a control to switch
between them and one set of cause buttons for all of them.

A diagram fence that names several anatomy specs::

    ```diagram
    knee knee-side
    ```

gives one figure: a view switch (native radio buttons, "From the front", "From the outer
side", so it works with keyboard arrow keys and touch and needs no script; the CSS in
``diagram-views.css`` shows the chosen view, and without it and in print every view shows),
each view's drawing (both variants, wide and narrow) with its own caption, then ONE set of
cause buttons, one details panel and one text alternative for the whole figure.

Which patterns are one cause is said by the data: a pattern with the same ``id`` in two
views' specs is one cause, seen in both. Its label, explanation and sources must then be
the same in every view (the views share one button and one explanation); only its regions
differ, because each view shows the parts it can see. Two patterns with different ids but
the same label are an error too (one cause named two ways, or two causes that a reader
could not tell apart). ``merge_patterns`` finds these and reports ``file:line: field:``.

The causes keep the order of the first view's patterns, followed by those seen only in a
later view, in that view's order. ``diagrams.js`` presses a cause: it highlights the
cause's regions in each view that shows it, switches to the first such view when the
chosen one does not show it (and stays when it does), and says in the panel which view
shows what.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from ..core import links
from ..core.errors import Problem, SpecError
from ..core.svgutil import Ids
from . import anatomy

VIEW_NAMES = {"front": "From the front", "back": "From behind", "outer-side": "From the outer side",
              "inner-side": "From the inner side", "above": "From above"}
SAME = ("label", "explanation", "sources")      # what every view must say alike about one cause


@dataclass(frozen=True)
class Cause:
    """One cause across the views of a joint: the shared text, and per view that shows it,
    that view's regions."""
    id: str
    label: str
    explanation: str
    sources: tuple[str, ...]
    page: str                                   # the page of the first view that shows it
    seen: tuple[tuple[str, tuple[str, ...]], ...]   # (view id, its region ids), in view order

    @property
    def views(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.seen)

    def regions(self) -> tuple[str, ...]:
        """Every region id, once, in the order the views name them."""
        return tuple(dict.fromkeys(r for _, ids in self.seen for r in ids))


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Lines:
    """Line numbers of the specs' pattern fields, read only when a problem is reported."""

    def __init__(self, paths):
        self.paths, self.sources = list(paths) if paths else [], {}

    def where(self, k: int, model, keys: tuple) -> tuple[str, int | None]:
        if k >= len(self.paths):
            return model.path or f"{model.id}.yaml", None
        if k not in self.sources:
            from ..core.specfile import display_path, load

            self.sources[k] = load(self.paths[k], display_path(Path(self.paths[k])))
        src = self.sources[k]
        return src.path, src.line(*keys)


def merge_patterns(models, paths=None) -> list[Cause]:
    """The causes of several views of one joint, each once (see the module's notes).
    ``paths`` (the specs' files, in the same order) give the line numbers of problems.
    Raises SpecError listing every disagreement between views."""
    lines = _Lines(paths)
    first: dict[str, tuple[int, int]] = {}        # cause id -> (view index, pattern index) first seen
    by_label: dict[str, tuple[int, int]] = {}
    seen: dict[str, list] = {}
    problems: list[Problem] = []
    for k, model in enumerate(models):
        for i, pat in enumerate(model.patterns):
            if pat.id in first:
                fk, fi = first[pat.id]
                other = models[fk].patterns[fi]
                for field in SAME:
                    mine, theirs = getattr(pat, field), getattr(other, field)
                    same = (set(mine) == set(theirs) if field == "sources" else _normal(mine) == _normal(theirs))
                    if not same:
                        file, line = lines.where(k, model, ("patterns", i, field))
                        ofile, oline = lines.where(fk, models[fk], ("patterns", fi, field))
                        show = (lambda v: ", ".join(v)) if field == "sources" else (lambda v: v)
                        problems.append(Problem(file, line, f"patterns[{i}].{field}", (
                            f"'{show(mine)}' differs from the {field} of the same cause '{pat.id}' in "
                            f"{ofile}{f':{oline}' if oline else ''} ('{show(theirs)}'): the views of one "
                            f"joint share one button per cause, so a cause has one {field} in every view. "
                            f"Make them the same, or give this pattern its own id if it is another cause")))
                seen[pat.id].append((model.id, pat.regions))
                continue
            label = _normal(pat.label)
            if label in by_label:
                fk, fi = by_label[label]
                other = models[fk].patterns[fi]
                file, line = lines.where(k, model, ("patterns", i, "id"))
                ofile, oline = lines.where(fk, models[fk], ("patterns", fi, "id"))
                problems.append(Problem(file, line, f"patterns[{i}].id", (
                    f"'{pat.id}' has the same label ('{pat.label}') as the cause '{other.id}' in "
                    f"{ofile}{f':{oline}' if oline else ''}: if they are one cause, give them the same id "
                    f"('{other.id}'); if not, give them labels a reader can tell apart")))
                continue
            first[pat.id] = (k, i)
            by_label[label] = (k, i)
            seen[pat.id] = [(model.id, pat.regions)]
    if problems:
        raise SpecError(problems)
    causes = []
    for cid, (k, i) in first.items():
        pat = models[k].patterns[i]
        causes.append(Cause(cid, pat.label, pat.explanation, tuple(pat.sources), models[k].page,
                            tuple((v, tuple(r)) for v, r in seen[cid])))
    return causes


def view_names(models) -> list[str]:
    """What the switch calls each view ("From the front"); by title when two views are seen
    from the same side."""
    names = [VIEW_NAMES.get(m.view, m.view) for m in models]
    if len(set(names)) != len(names):
        names = [m.title for m in models]
    return names


def in_sentence(name: str) -> str:
    """"From the front" -> "from the front"."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cause_text(cause: Cause, models, names: list[str]) -> tuple[str, str]:
    """Where the text alternative says a cause is seen, and its parts (per view when the
    views name different parts)."""
    index = {m.id: k for k, m in enumerate(models)}
    where = [in_sentence(names[index[v]]) for v in cause.views]
    shown = (f"Shown in the view {where[0]}." if len(where) == 1 else f"Shown in the views {_and(where)}.")
    labels = {m.id: {r.id: r.label for r in m.regions} for m in models}
    per_view = [(in_sentence(names[index[v]]), [labels[v][r] for r in ids]) for v, ids in cause.seen]
    if len({tuple(parts) for _, parts in per_view}) == 1:
        parts = f"Parts: {', '.join(per_view[0][1])}."
    else:
        parts = " ".join(f"Parts {name}: {', '.join(p)}." for name, p in per_view)
    return shown, parts


def render_views(models, page: str | None = None, paths=None) -> str:
    """The figure for several views of one joint (anatomy models, in the fence's order)."""
    ids = [m.id for m in models]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError([Problem("(diagram fence)", None, "diagram", f"names the view '{dupes[0]}' twice")])
    causes = merge_patterns(models, paths)
    names = view_names(models)
    e = html.escape
    first = models[0]
    fig = Ids(first.id)
    group = "bmo-views-" + "-".join(ids)
    out = [f'<figure class="bmo-diagram bmo-views" data-diagram-figure="{e(first.id)}" '
           f'data-views="{e(" ".join(ids))}" id="{fig("figure")}">',
           '<div class="bmo-diagram__body">',
           '<div class="bmo-views__main">',
           '<fieldset class="bmo-views__switch"><legend class="bmo-views__legend">Choose the view</legend>']
    for k, (model, name) in enumerate(zip(models, names)):
        checked = " checked" if k == 0 else ""
        out.append(f'<label class="bmo-views__option"><input type="radio" class="bmo-views__input" '
                   f'name="{e(group)}" value="{e(model.id)}"{checked}> {e(name)}</label>')
    out.append('</fieldset>')
    out.append('<div class="bmo-views__stack">')
    for model in models:
        view_page = page or model.page
        out.append(f'<figure class="bmo-views__view" data-view="{e(model.id)}" id="{Ids(model.id)("view")}">'
                   f'<figcaption class="bmo-diagram__caption">{anatomy.figure_caption(model)}</figcaption>'
                   f'{anatomy.figure_frame(model, view_page)}</figure>')
    out.append('</div></div>')
    out.append(f'<div class="bmo-diagram__panel" id="{fig("panel")}" data-diagram-panel aria-live="polite" '
               'hidden></div>')
    out.append('<div class="bmo-diagram__aside">')
    if causes:
        out.append(f'<div class="bmo-diagram__controls" role="group" aria-labelledby="{fig("causes")}" hidden '
                   'data-search-exclude="true">'
                   f'<p class="bmo-diagram__controls-label" id="{fig("causes")}">Show where it typically '
                   f'shows, by cause:</p>')
        for cause in causes:
            per_view = "".join(f' data-regions-{e(v)}="{e(" ".join(r))}"' for v, r in cause.seen)
            out.append(f'<button type="button" class="bmo-diagram__cause" data-pattern="{e(cause.id)}" '
                       f'data-regions="{e(" ".join(cause.regions()))}" data-seen-in="{e(" ".join(cause.views))}"'
                       f'{per_view} aria-pressed="false" aria-controls="{fig("panel")}" hidden>'
                       f'{e(cause.label)}</button>')
        out.append('</div>')
    out.append('</div></div>')

    # the text alternative: the parts of each view, then each cause once with the views that show it
    summary = "The diagram in words: parts and typical patterns" if causes else "The diagram in words"
    out.append(f'<details class="bmo-diagram__text" open><summary>{e(summary)}</summary>')
    for model, name in zip(models, names):
        out.append(f'<div class="bmo-diagram__regions" data-view-text="{e(model.id)}">'
                   f'<p class="bmo-diagram__text-heading">Parts seen {e(in_sentence(name))}:</p><ul>')
        out.extend(anatomy.region_items(model, page or model.page))
        out.append('</ul></div>')
    if causes:
        out.append('<p class="bmo-diagram__text-heading">Typical patterns by cause:</p>'
                   '<ul class="bmo-diagram__patterns">')
        for cause in causes:
            href = links.relative_href(f"{cause.page}#pattern-{cause.id}", page or cause.page)
            shown, parts = _cause_text(cause, models, names)
            out.append(f'<li data-pattern-item="{e(cause.id)}"><a href="{e(href)}">{e(cause.label)}</a>: '
                       f'<span class="bmo-diagram__desc">{e(cause.explanation)}</span> '
                       f'<span class="bmo-diagram__views">{e(shown)}</span> '
                       f'<span class="bmo-diagram__parts">{e(parts)}</span></li>')
        out.append('</ul>')
    out.append('</details></figure>')
    return "\n".join(out)
