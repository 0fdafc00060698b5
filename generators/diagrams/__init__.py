"""The diagram kinds: anatomy diagrams (``anatomy`` with measured ``labels``) and
flowcharts (``flowchart`` with its layered ``layout``). Each offers ``load``,
``render_svg`` and ``render_figure`` (see ``generators.core.catalog``).
"""
