"""Markdown tweaks for a guide with one page per topic.

``TopicsExtension`` gives each ``###`` heading of a section an id (prefixed with the
section's slug, so the whole-guide page never has the same id twice), for the topic's
contents list; and it points links written as ``/#slug`` (the address of a topic when the
guide was one page) at that topic's own page, so content, old and new, needs no edit.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection

import markdown
from django.utils.text import slugify
from markdown.treeprocessors import Treeprocessor

# "/#slug" or "/es/#slug": a topic's address when the guide was one page.
_OLD_TOPIC_LINK = re.compile(r"(?:/[a-z]{2})?/#(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")


class TopicsTreeprocessor(Treeprocessor):
    def __init__(self, md, extension: TopicsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        used: set[str] = set()
        prefix = self.extension.heading_prefix
        for element in root.iter():
            if element.tag == "h3" and prefix:
                base = f"{prefix}-{slugify(''.join(element.itertext()))}"
                anchor, number = base, 1
                while anchor in used:
                    number += 1
                    anchor = f"{base}-{number}"
                used.add(anchor)
                element.set("id", anchor)
            elif element.tag == "a":
                match = _OLD_TOPIC_LINK.fullmatch(element.get("href", ""))
                if match and match.group("slug") in self.extension.slugs:
                    element.set("href", self.extension.topic_url(match.group("slug")))


class TopicsExtension(markdown.Extension):
    def __init__(self, slugs: Collection[str], topic_url: Callable[[str], str]) -> None:
        super().__init__()
        self.slugs = frozenset(slugs)
        self.topic_url = topic_url
        self.heading_prefix = ""  # set per body: a section's slug, or "" for no ids

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(TopicsTreeprocessor(md, self), "topics", 5)
