"""What a first visit to a page transfers, and whether its first screen fits TCP's first flight.

Shared by the page weight tests and `make bench`, so both count the same way.

The first flight (issue 18): a new TCP connection may send 10 segments before it hears back
(RFC 6928), about 14 KB. The first screen arrives in that flight when the response headers,
the compressed HTML that draws the first screen, and the render-blocking stylesheet (headers
and compressed body) add up to 14 KB or less. Which HTML "draws the first screen" is not
guessed from the markup: Chromium draws the page once with the whole HTML and once with only
a prefix of the compressed body (what a reader has after that many bytes), and the prefix is
enough when the two phone-sized screenshots are identical, pixel for pixel. Scripts are off
for both: they run after the first paint, and the first screen must not need them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import brotli
from playwright.sync_api import Browser, BrowserContext, Error, Page, Response

from tests.servers import http_request

PHONE = {"width": 390, "height": 844}
HOME_LIMIT = 20 * 1024  # bytes a first visit to / may transfer, headers included (issue 18)
# What make bench reports: the overview, a topic page and an answer page.
FIRST_SCREENS = ("/", "/guide/getting-tested/", "/faq/how-long-does-iron-take/")
FIRST_FLIGHT = 14 * 1024  # bytes; 10 segments of about 1,460 bytes each
# The stylesheets that hold up the first paint: those whose media match this screen.
RENDER_BLOCKING_CSS = """() => [...document.styleSheets]
  .filter((sheet) => sheet.href && matchMedia(sheet.media.mediaText || "all").matches)
  .map((sheet) => sheet.href)"""


def first_visit(browser: Browser, url: str, *, viewport=PHONE) -> list[tuple[int, str]]:
    """(bytes, address) of every response to a fresh browser that opens url and waits."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        return [(transferred(response), response.url) for response in responses]
    finally:
        context.close()


def transferred(response: Response) -> int:
    """Bytes on the wire for one response: its headers and its (compressed) body."""
    size = response.request.sizes()
    return size["responseBodySize"] + size["responseHeadersSize"]


@dataclass(frozen=True)
class FirstScreen:
    """The bytes a phone needs before it can draw the first screen of one page."""

    url: str
    encoding: str  # what Chromium was sent: br, gzip or identity
    html_headers: int
    html_body: int  # the whole compressed body
    css: int  # headers and compressed bodies of the render-blocking stylesheets
    html_needed: int  # the shortest prefix of the compressed body that draws the same screen

    @property
    def bytes_needed(self) -> int:
        return self.html_headers + self.html_needed + self.css

    @property
    def in_first_flight(self) -> bool:
        return self.bytes_needed <= FIRST_FLIGHT

    def line(self) -> str:
        verdict = "within" if self.in_first_flight else "OVER"
        return (
            f"{urlsplit(self.url).path}: first screen {self.bytes_needed} bytes, {verdict} "
            f"{FIRST_FLIGHT} (HTML headers {self.html_headers} + {self.html_needed} of "
            f"{self.html_body} body bytes, {self.encoding}; stylesheet {self.css})"
        )


def first_screen(browser: Browser, url: str, *, shortest: bool = False) -> FirstScreen:
    """Measure url's first screen on a phone. With shortest, search for the shortest prefix
    that draws it (a dozen renders, for make bench); otherwise only try the prefix that the
    first flight leaves for the HTML body (one render, enough for a pass or a fail)."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="load")
        expected = screenshot(page)
        blocking = set(page.evaluate(RENDER_BLOCKING_CSS))
        css = sum(transferred(item) for item in responses if item.url in blocking)
        document = next(item for item in responses if item.url == url)
        encoding, body = compressed_body(url, document)
        headers = document.request.sizes()["responseHeadersSize"]

        def draws_first_screen(length: int) -> bool:
            html = decoded_prefix(encoding, body, length)
            return render_prefix(context, url, document, html) == expected

        room = FIRST_FLIGHT - headers - css  # what the first flight leaves for the body
        if shortest:
            needed = shortest_prefix(draws_first_screen, len(body))
        elif room >= len(body):
            needed = len(body)  # the whole page arrives in the first flight
        elif room > 0 and draws_first_screen(room):
            needed = room  # at most this: the flight is enough, the exact figure is not needed
        else:
            needed = len(body)  # more than the flight leaves (shortest=True tells how much)
        return FirstScreen(url, encoding, headers, len(body), css, needed)
    finally:
        context.close()


def compressed_body(url: str, document: Response) -> tuple[str, bytes]:
    """The page's body exactly as the server compresses it for this browser."""
    address = urlsplit(url)
    accept = document.request.all_headers().get("accept-encoding", "")
    path = address.path + (f"?{address.query}" if address.query else "")
    base = f"{address.scheme}://{address.netloc}"
    status, headers, body = http_request(base, path, headers={"Accept-Encoding": accept})
    assert status == 200, f"{url} answered {status}"
    return headers.get("Content-Encoding", "identity"), body


def decoded_prefix(encoding: str, body: bytes, length: int) -> bytes:
    """What a browser can decode from the first length bytes of a compressed body."""
    prefix = body[:length]
    if encoding == "br":
        return brotli.Decompressor().process(prefix)
    if encoding == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(prefix)
    return prefix


def render_prefix(context: BrowserContext, url: str, document: Response, html: bytes) -> bytes:
    """A phone screenshot of url when only html (a prefix of the page) has arrived."""
    page: Page = context.new_page()
    try:
        headers = {
            name: value
            for name, value in document.headers.items()
            if name not in {"content-encoding", "content-length", "transfer-encoding"}
        }
        page.route(url, lambda route: route.fulfill(status=200, headers=headers, body=html))
        page.goto(url, wait_until="load")
        return screenshot(page)
    finally:
        page.close()


def screenshot(page: Page) -> bytes:
    """The page's screen, asked for again if Chromium refuses the capture itself.

    On a busy machine Chromium now and then answers "Unable to capture screenshot" for a
    page it has drawn, and takes the same picture when asked a moment later (CI failed on
    one of make bench's dozen renders in this way). Only that refusal is retried, once; a
    picture that differs is never retried, so a page that changes still fails.
    """
    try:
        return page.screenshot()
    except Error as error:
        if "Unable to capture screenshot" not in error.message:
            raise
        page.wait_for_timeout(250)
        return page.screenshot()


def shortest_prefix(enough, length: int, step: int = 32) -> int:
    """The smallest prefix length (to within step bytes) for which enough(prefix) holds."""
    low, high = 0, length
    if not enough(high):
        raise AssertionError("the whole page does not draw its own first screen")
    while high - low > step:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle
    return high


def first_visit_report(browser: Browser, base: str) -> dict:
    """make bench's figures: what / transfers, and the first screens of FIRST_SCREENS."""
    sizes = first_visit(browser, base + "/")
    screens = [first_screen(browser, base + path, shortest=True) for path in FIRST_SCREENS]
    return {
        "home_bytes": sum(size for size, _ in sizes),
        "home_requests": len(sizes),
        "first_screens": {
            screen.url.removeprefix(base): {
                "bytes_needed": screen.bytes_needed,
                "html_headers": screen.html_headers,
                "html_needed": screen.html_needed,
                "html_body": screen.html_body,
                "stylesheet": screen.css,
                "encoding": screen.encoding,
                "in_first_flight": screen.in_first_flight,
            }
            for screen in screens
        },
        "lines": [screen.line() for screen in screens],
    }


def report_lines(report: dict) -> list[str]:
    return [
        f"A first visit to / transfers {report['home_bytes']} bytes in "
        f"{report['home_requests']} requests, headers included (limit {HOME_LIMIT}).",
        "First screen on a phone (390 x 844) against TCP's first flight:",
        *("  " + line for line in report["lines"]),
    ]
