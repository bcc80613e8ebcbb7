"""Every source can be found again: an identifier or an address, and when a web page was read.

A citation is only worth something if a reader (or a reviewer) can open the source it
points to. A journal article is found by its DOI or PubMed number; a web page or drug label
only by its address, and because such pages change, the date it was read matters too.
The loader runs this check with the others, so the problems reach ``make check-content``,
``manage.py check`` and the editor page alike.
"""

from __future__ import annotations

from rls_iron.content.models import is_web_source
from rls_iron.content.problems import Collector
from rls_iron.content.sources import Loaded


def check_sources_traceable(references: list[Loaded], problems: Collector) -> None:
    """E014: no DOI, PMID or URL. W006: a web page or label without an ``accessed`` date."""
    for source, values in references:
        key = values["key"]
        if not any(values.get(name) for name in ("doi", "pmid", "url")):
            problems.error(
                source.relative_path,
                source.field_lines.get("key", 2),
                f"The source '{key}' has no doi, pmid or url, so a reader cannot find it.",
                "Add its DOI or PubMed number, or the web address of the page or label.",
                "E014",
            )
        elif is_web_source(values) and not values.get("accessed"):
            problems.warning(
                source.relative_path,
                source.field_lines.get("url", 2),
                f"The web source '{key}' has no accessed date; a web page can change.",
                'Add the date you read it, for example accessed: "2026-11-27" or "2026-11".',
                "W006",
            )
