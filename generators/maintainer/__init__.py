"""The maintainer tools: content checks (``content_checks``), link and contract checks
over the built site (``sitecheck``), ``make check`` (``maintainer_check``), ``make bench``
(``bench``) and live reload of this package for ``make serve`` (``devreload``).
"""
