"""Figures (rls_iron/content/figures.py) and named limits (rls_iron/content/limits.py):
an editor's SVG is checked line by line, shown only as an image, served as SVG with nosniff
and the strict CSP; unknown names are errors with their file and line."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from rls_iron.content import get_guide, validate_content
from rls_iron.content.figures import MAX_COMPRESSED_BYTES
from rls_iron.results import FERRITIN_LOW, LIMITS

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 120">\n'
    '<rect x="1" y="1" width="358" height="118" fill="#fff"/>\n'
    "{inside}\n"
    '<text x="20" y="60">Ferritin [limit: ferritin-low]</text>\n'
    "</svg>\n"
)


def add_figure(
    folder,
    name="test-ladder",
    inside="",
    alt="Boxes, from top: ferritin [limit: ferritin-low] or less.",
):
    figures = folder.language_dir / "figures"
    figures.mkdir(exist_ok=True)
    (figures / f"{name}.svg").write_text(SVG.format(inside=inside))
    folder.write(
        f"figures/{name}.md", {"title": "A test ladder.", "caption": "Find your row."}, alt
    )


def codes(folder):
    return [
        (problem.code, problem.path.rsplit("/", 1)[-1], problem.line)
        for problem in validate_content(folder.root).problems
    ]


def test_a_figure_line_becomes_an_image_with_its_text_alternative(content_folder, client: Client):
    add_figure(content_folder)
    content_folder.section("second-part", 2, "Before.\n\n[figure: test-ladder]\n\nAfter.\n")
    response = client.get("/guide/")
    alt = f"Boxes, from top: ferritin {FERRITIN_LOW} or less."
    assertContains(
        response,
        f'<figure class="content-figure"><img src="/figures/test-ladder.svg" alt="{alt}"'
        ' width="360"'
        ' height="120" loading="lazy"><figcaption><strong>A test ladder.</strong> Find your row.'
        "</figcaption></figure>",
        html=True,
    )


def test_the_figure_is_served_as_svg_with_nosniff_and_the_strict_csp(
    content_folder, client: Client
):
    add_figure(content_folder)
    response = client.get("/figures/test-ladder.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert f"Ferritin {FERRITIN_LOW}</text>".encode() in response.content
    assert client.get("/figures/no-such-figure.svg").status_code == 404


@pytest.mark.parametrize(
    ("inside", "line"),
    [
        ("<script>alert(1)</script>", 3),
        ('<rect width="1" height="1" onclick="alert(1)"/>', 3),
        ('<foreignObject width="9" height="9"><p>x</p></foreignObject>', 3),
        ('<image href="https://tracker.example/pixel.png" width="1" height="1"/>', 3),
        ('<a href="https://evil.example/"><text x="1" y="1">x</text></a>', 3),
        ('<rect width="1" height="1" fill="url(https://evil.example/x.svg#p)"/>', 3),
        ("<style>@import url(https://evil.example/x.css);</style>", 3),
    ],
)
def test_an_unsafe_svg_is_refused_with_its_file_and_line(content_folder, inside, line):
    add_figure(content_folder, inside=inside)
    assert ("rls_iron.E050", "test-ladder.svg", line) in codes(content_folder)


def test_an_svg_that_declares_entities_is_refused(content_folder):
    figures = content_folder.language_dir / "figures"
    figures.mkdir()
    (figures / "boom.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">&a;</svg>\n'
    )
    content_folder.write("figures/boom.md", {"title": "T.", "caption": "C."}, "Words.")
    assert "rls_iron.E050" in [code for code, _, _ in codes(content_folder)]


def test_an_unknown_figure_is_an_error_with_its_line(content_folder):
    content_folder.section("second-part", 2, "Text.\n\n[figure: no-such-picture]\n")
    assert ("rls_iron.E053", "02-second-part.md", 12) in codes(content_folder)


def test_a_figure_needs_its_picture_and_its_words(content_folder):
    content_folder.write("figures/lonely.md", {"title": "T.", "caption": "C."}, "Words.")
    add_figure(content_folder, name="silent", alt="")
    found = codes(content_folder)
    assert ("rls_iron.E051", "lonely.md", 1) in found
    assert "rls_iron.E052" in [code for code, _, _ in found]


def test_a_large_figure_is_a_warning(content_folder):
    # Hashes do not compress, so this is well over 8 KB even gzipped.
    big = "".join(f"<desc>{hashlib.sha256(bytes([n])).hexdigest()}</desc>" for n in range(256))
    add_figure(content_folder, inside=big)
    assert "rls_iron.W050" in [code for code, _, _ in codes(content_folder)]


def test_an_unknown_limit_is_an_error_and_a_known_one_is_its_number(content_folder, client):
    content_folder.section("second-part", 2, "Up to [limit: ferritin-drip-max].\n\n[limit: nope]\n")
    assert ("rls_iron.E054", "02-second-part.md", 12) in codes(content_folder)
    content_folder.section("second-part", 2, "Up to [limit: ferritin-drip-max] ng/mL.\n")
    assertContains(client.get("/guide/"), f"Up to {LIMITS['ferritin-drip-max']} ng/mL.")


def test_markdown_images_from_elsewhere_are_removed(content_folder, client: Client):
    content_folder.section(
        "second-part",
        2,
        '![x](https://tracker.example/p.png)\n\n<img src="//evil.example/a.svg">\n',
    )
    response = client.get("/guide/")
    assertNotContains(response, "tracker.example")
    assertNotContains(response, "evil.example")


def test_every_real_figure_is_small_and_in_both_languages():
    english, spanish = get_guide("en").figures, get_guide("es").figures
    assert len(english) >= 5
    assert set(english) == set(spanish)
    for figure in (*english.values(), *spanish.values()):
        assert len(gzip.compress(figure.svg)) <= MAX_COMPRESSED_BYTES
        assert figure.alt
        assert "[limit:" not in figure.alt
    assert english["iron-ladder"].alt != spanish["iron-ladder"].alt
