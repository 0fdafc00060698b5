"""The pool of browser contexts (conftest.ContextPool) hands a test a context only as a fresh one
would be: what an earlier test stored is gone, and a context it cannot clean is never reused."""
from __future__ import annotations

import pytest

from conftest import ContextPool

OPTIONS = {"viewport": {"width": 640, "height": 480}}  # options no other test asks for


@pytest.fixture
def pool(browser, site_url):
    own = ContextPool(browser, site_url)
    yield own
    for contexts in own.idle.values():
        for ctx in contexts:
            ctx.close()


def _stored(ctx) -> dict:
    state = ctx.storage_state(indexed_db=True)
    return {"cookies": state["cookies"], "origins": [o for o in state["origins"]
                                                     if o.get("localStorage") or o.get("indexedDB")]}


def test_a_context_comes_back_with_nothing_stored_and_no_page_open(pool, site_url):
    key, ctx = pool.take(OPTIONS)
    page = ctx.new_page()
    page.goto(site_url + "knee/", wait_until="load")
    page.evaluate("""() => { localStorage.setItem('left', 'behind'); sessionStorage.setItem('left', 'behind');
                             document.cookie = 'left=behind; path=/'; }""")
    ctx.grant_permissions(["clipboard-read"])
    assert _stored(ctx)["cookies"] and _stored(ctx)["origins"]
    pool.give_back(key, ctx)

    again_key, again = pool.take(OPTIONS)
    assert again is ctx, "a clean context was not reused"
    assert again_key == key
    assert [p for p in again.pages if p is not pool.keep[again]] == []
    assert _stored(again) == {"cookies": [], "origins": []}
    page = again.new_page()
    page.goto(site_url + "knee/", wait_until="load")
    assert page.evaluate("[localStorage.getItem('left'), sessionStorage.getItem('left'), document.cookie]") \
        == [None, None, ""]
    assert page.evaluate("navigator.permissions.query({name: 'clipboard-read'}).then(p => p.state)") != "granted"
    pool.give_back(again_key, again)


def test_a_context_left_with_what_the_pool_cannot_clear_is_closed_not_reused(pool, site_url):
    key, ctx = pool.take(OPTIONS)
    page = ctx.new_page()
    page.goto(site_url + "knee/", wait_until="load")
    # an IndexedDB database: local storage is cleared, this is not, so the context is dirty
    page.evaluate("""() => new Promise((done, fail) => { const r = indexedDB.open('left-behind', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('s');
        r.onsuccess = () => { const t = r.result.transaction('s', 'readwrite'); t.objectStore('s').put(1, 'k');
                              t.oncomplete = () => { r.result.close(); done(); }; };
        r.onerror = () => fail(r.error); })""")
    pool.give_back(key, ctx)
    assert ctx.is_closed(), "a context with an IndexedDB database left in it went back into the pool"
    _, other = pool.take(OPTIONS)
    assert other is not ctx
    assert _stored(other) == {"cookies": [], "origins": []}


def test_a_lent_context_hides_the_pools_own_page_and_close_gives_it_back(new_context):
    ctx = new_context(**OPTIONS)
    assert ctx.pages == []
    page = ctx.new_page()
    assert ctx.pages == [page]
    ctx.close()
    assert page.is_closed()
    assert not ctx.is_closed(), "close() closed the pooled context instead of giving it back"
