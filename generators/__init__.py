"""Diagram generators and site tools for the bone marrow oedema site, one subpackage a job.

- ``core``: the shared spec core (YAML with line numbers, checks and errors, text measure,
  SVG helpers, links, the catalogue of spec kinds).
- ``diagrams``: the diagram kinds (``anatomy``, ``flowchart`` with its ``layout``).
- ``site``: the site integration (the Markdown extension ``site.markdown_ext``, references,
  terms, explainer data).
- ``maintainer``: content and link checks, ``make check``, ``make bench``, live reload.

A spec in ``diagrams/`` (YAML, data only) is loaded and validated by the module of its kind,
rendered to SVG and placed inline in a page by ``site.markdown_ext``. ``python -m
generators`` is the command-line interface (check, render).
"""
