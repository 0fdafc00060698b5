"""Diagram generators for the bone marrow oedema site.

A spec in ``diagrams/`` (YAML, data only) is loaded and validated by the module of
its kind (``anatomy`` or ``flowchart``), rendered to SVG with svgwrite, and placed
inline in a page by the Markdown extension in ``markdown_ext``. ``python -m
generators`` is the command-line interface (check, render).
"""
