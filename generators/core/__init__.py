"""The shared spec core: YAML loading with line numbers (``specfile``), checks and
``file:line: field: message`` errors (``checks``, ``errors``), text measured with the site's
font (``textmeasure``), SVG helpers (``svgutil``), page links (``links``) and the catalogue of
spec kinds (``catalog``).
"""
