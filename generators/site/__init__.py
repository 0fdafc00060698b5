"""The site integration: the Python-Markdown extension that places diagrams, sources,
the glossary, handouts and the explainer in pages (``markdown_ext``), and the data it
reads: sources (``references``), terms (``terms``) and the explainer's data (``explainer``).
"""
