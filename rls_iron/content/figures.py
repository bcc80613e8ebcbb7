"""Figures: pictures editors place in the guide with one Markdown line, ``[figure: name]``.

A figure is two files in ``content/<language>/figures/``: ``name.svg``, the picture, and
``name.md``, its title and caption (front matter) and its full text alternative (the body),
which screen readers read, browsers show when images are off, and print handouts carry.
An SVG from an editor is untrusted: it is only ever shown as an ``<img>`` (never inlined), and
``check_svg`` refuses script, event attributes, ``foreignObject``, entity declarations and any
reference outside the file, naming the file and line, before the site will serve it.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from rls_iron.content.fields import FieldSpec
from rls_iron.content.frontmatter import SourceFile
from rls_iron.content.limits import check_limits_in, fill_limits
from rls_iron.content.problems import Collector, project_path
from rls_iron.content.sources import Loaded, load_markdown_folder

FIGURE_FIELDS = {"title": FieldSpec(str), "caption": FieldSpec(str)}
FIGURE_LINE = re.compile(r"^\[figure:\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*\]$")
FIGURE_USE = re.compile(r"^\[figure:\s*([^\]\n]*)\]\s*$", re.MULTILINE)
MAX_COMPRESSED_BYTES = 8 * 1024
_BANNED_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "image", "use"}
_LINKING_ATTRIBUTES = {"href", "src"}
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)
_VIEWBOX = re.compile(r"^\s*0[ ,]+0[ ,]+(\d+(?:\.\d+)?)[ ,]+(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    caption: str
    alt: str  # the full text alternative, plain text
    svg: bytes
    width: int
    height: int
    source_path: str
    language: str

    @property
    def compressed_size(self) -> int:
        return len(gzip.compress(self.svg, compresslevel=9, mtime=0))


def check_svg(data: bytes, path: str, problems: Collector) -> tuple[int, int] | None:
    """Refuse anything in an SVG that could run, load or hide content; return its size."""
    parser = expat.ParserCreate(namespace_separator=" ")
    size: list[tuple[int, int]] = []

    def problem(message: str, hint: str = "") -> None:
        problems.error(path, parser.CurrentLineNumber, message, hint, "E050")

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1].lower()
        if local in _BANNED_ELEMENTS:
            problem(f"A figure may not contain <{local}>.", "Draw it with shapes and text only.")
        for attribute, value in attributes.items():
            attribute = attribute.rsplit(" ", 1)[-1].lower()
            if attribute.startswith("on"):
                problem(f"A figure may not have the event attribute '{attribute}'.")
            elif attribute in _LINKING_ATTRIBUTES and not value.startswith("#"):
                problem(
                    f"A figure may not link to '{value[:60]}'.", "Keep the picture in one file."
                )
            elif _EXTERNAL_URL.search(value):
                problem("A figure may not load anything from outside the file.")
        if local == "svg" and not size:
            match = _VIEWBOX.match(attributes.get("viewBox", ""))
            if match is None:
                problem("The <svg> needs a viewBox like '0 0 640 360'.")
            else:
                size.append((round(float(match[1])), round(float(match[2]))))

    def refuse_declaration(*_args) -> None:
        problem("A figure may not declare entities or a DOCTYPE.")

    def text(data: str) -> None:
        if "@import" in data or _EXTERNAL_URL.search(data):
            problem("A figure may not load anything from outside the file.")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse_declaration
    parser.StartDoctypeDeclHandler = refuse_declaration
    parser.ProcessingInstructionHandler = refuse_declaration
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        problems.error(path, error.lineno, f"The figure is not valid SVG: {error}.", code="E050")
        return None
    return size[0] if size else None


def read_figures(folder: Path, language: str, problems: Collector) -> dict[str, Figure]:
    """Every figure of a language whose text and SVG pass their checks, by name."""
    figures = {}
    for source, values in load_markdown_folder(folder / "figures", FIGURE_FIELDS, problems):
        figure = _figure(source, values, language, problems)
        if figure is not None:
            figures[figure.name] = figure
    return figures


def _figure(source: SourceFile, values: dict, language: str, problems: Collector) -> Figure | None:
    svg_path = Path(source.path).with_suffix(".svg")
    svg_name = project_path(svg_path)
    if not svg_path.is_file():
        problems.error(
            source.relative_path, 1, f"The picture {svg_path.name} is missing.", code="E051"
        )
        return None
    raw = svg_path.read_bytes()
    check_limits_in(raw.decode("utf-8", "replace"), svg_name, 1, problems)
    check_limits_in(source.body, source.relative_path, source.body_line, problems)
    data = fill_limits(raw.decode("utf-8", "replace")).encode()
    size = check_svg(data, svg_name, problems)
    alt = fill_limits(" ".join(source.body.split()))
    if not alt:
        problems.error(
            source.relative_path,
            source.body_line,
            "A figure needs its text alternative.",
            "Below the front matter, say in words what the picture shows.",
            "E052",
        )
    if size is None or not alt:
        return None
    figure = Figure(
        name=svg_path.stem,
        title=values["title"],
        caption=values["caption"],
        alt=alt,
        svg=data,
        width=size[0],
        height=size[1],
        source_path=source.relative_path,
        language=language,
    )
    if figure.compressed_size > MAX_COMPRESSED_BYTES:
        problems.warning(
            svg_name,
            1,
            f"The figure is {figure.compressed_size} bytes compressed, over 8 KB.",
            "Simplify the drawing: phones on a poor signal load every byte.",
            "W050",
        )
    return figure


def check_figure_uses(
    pages: Iterable[Loaded], figures: Mapping[str, Figure], problems: Collector
) -> None:
    """Every ``[figure: name]`` line must name a figure of this language."""
    for source, _values in pages:
        for match in FIGURE_USE.finditer(source.body):
            name = match.group(1).strip()
            if name not in figures:
                line = source.body_line + source.body.count("\n", 0, match.start())
                close = sorted(figures)[:5]
                problems.error(
                    source.relative_path,
                    line,
                    f"Unknown figure '{name}'.",
                    f"Known figures: {', '.join(close) or 'none yet'}.",
                    "E053",
                )


class FigureProcessor(BlockProcessor):
    """A paragraph that is only ``[figure: name]`` becomes the figure as an image."""

    def __init__(self, parser, figures: Mapping[str, Figure], url: str) -> None:
        super().__init__(parser)
        self.figures = figures
        self.url = url

    def test(self, parent: ET.Element, block: str) -> bool:
        match = FIGURE_LINE.match(block.strip())
        return bool(match) and match.group(1) in self.figures

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        figure = self.figures[FIGURE_LINE.match(blocks.pop(0).strip()).group(1)]
        element = ET.SubElement(parent, "figure", {"class": "content-figure"})
        ET.SubElement(
            element,
            "img",
            {
                "src": f"{self.url}{figure.name}.svg",
                "alt": figure.alt,
                "width": str(figure.width),
                "height": str(figure.height),
                "loading": "lazy",
            },
        )
        caption = ET.SubElement(element, "figcaption")
        title = ET.SubElement(caption, "strong")
        title.text = figure.title
        title.tail = " " + figure.caption


class FigureExtension(Extension):
    def __init__(self, figures: Mapping[str, Figure], url: str) -> None:
        super().__init__()
        self.figures = figures
        self.url = url

    def extendMarkdown(self, md) -> None:
        md.parser.blockprocessors.register(
            FigureProcessor(md.parser, self.figures, self.url), "figure", 75
        )
