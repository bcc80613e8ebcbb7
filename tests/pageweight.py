"""What a first visit to a page transfers, request by request, headers included (issue 5).

Shared by the page weight test and `make bench`, so both count the same way.
"""

from __future__ import annotations

from playwright.sync_api import Browser

PHONE = {"width": 390, "height": 844}


def first_visit(browser: Browser, url: str, *, viewport=PHONE) -> list[tuple[int, str]]:
    """(bytes, address) of every response to a fresh browser that opens url and waits."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        sizes = []
        for response in responses:
            size = response.request.sizes()
            sizes.append((size["responseBodySize"] + size["responseHeadersSize"], response.url))
        return sizes
    finally:
        context.close()
