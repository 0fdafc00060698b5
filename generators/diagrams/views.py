"""Several views of one joint (front and side...) with a control to switch between them.

A diagram fence that names several specs::

    ```diagram
    knee knee-side
    ```

gives each diagram (figure, cause buttons, details panel and text alternative as usual)
after a view switch: a set of native radio buttons ("From the front", "From the outer
side"), so it works with keyboard (arrow keys) and touch and needs no script. The CSS
(``diagram-views.css``) shows the chosen view; without it, and in print, all views show
one after the other.
"""
from __future__ import annotations

import html

VIEW_NAMES = {"front": "From the front", "back": "From behind", "outer-side": "From the outer side",
              "inner-side": "From the inner side", "above": "From above"}


def render_views(models, figures: list[str]) -> str:
    """The switch and the figures (already rendered, in the same order as ``models``)."""
    e = html.escape
    group = "bmo-views-" + "-".join(m.id for m in models)
    names = [VIEW_NAMES.get(m.view, m.view) for m in models]
    if len(set(names)) != len(names):          # two views from the same side: name them by title
        names = [m.title for m in models]
    out = [f'<div class="bmo-views" data-views="{e(" ".join(m.id for m in models))}">',
           f'<fieldset class="bmo-views__switch"><legend class="bmo-views__legend">Choose the view</legend>']
    for i, (model, name) in enumerate(zip(models, names)):
        checked = " checked" if i == 0 else ""
        out.append(f'<label class="bmo-views__option"><input type="radio" class="bmo-views__input" '
                   f'name="{e(group)}" value="{e(model.id)}"{checked}> {e(name)}</label>')
    out.append('</fieldset>')
    for model, figure in zip(models, figures):
        out.append(f'<div class="bmo-views__view" data-view="{e(model.id)}">{figure}</div>')
    out.append('</div>')
    return "\n".join(out)
