"""LinkChecker on the built site served over HTTP (anchors are checked only over HTTP),
and the link contract: every published address still resolves."""
from __future__ import annotations

from generators.maintainer.sitecheck import check_contract, check_links


def test_every_internal_link_and_anchor_resolves(built_site):
    findings = check_links(built_site)
    assert not findings, "\n".join(map(str, findings))


def test_every_published_url_still_resolves_and_every_page_is_published(built_site):
    findings = check_contract(built_site)
    assert not findings, "\n".join(map(str, findings))
