"""The one way into the patient content in ``content/``.

Content is Markdown with YAML front matter (see ``content/README.md``). This package reads
and validates every file, renders the Markdown once per content version into frozen
dataclasses, and is the only place where HTML is marked safe (``sanitise.py``). Views ask
for a ``Guide`` through ``get_guide()`` (``store.py``). This file only re-exports the public
names; read the modules in the order models, problems, fields, frontmatter, sanitise,
rendering, lists, validate, guide, loader, store, reports.
"""

from rls_iron.content.guide import GlossaryLetter, Guide
from rls_iron.content.loader import load_guide
from rls_iron.content.models import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MAX_FILE_BYTES,
    OPTIONAL_IN_TRANSLATION,
    DoctorQuestion,
    DoctorQuestions,
    FaqEntry,
    GlossaryTerm,
    PageLink,
    QuestionGroup,
    Reference,
    Section,
    SiteText,
)
from rls_iron.content.problems import ContentError, Problem
from rls_iron.content.rendering import Renderer, citation_keys
from rls_iron.content.reports import (
    ContentReport,
    FileStatus,
    counterpart_warnings,
    editor_report,
    ignored_files,
    validate_content,
)
from rls_iron.content.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
)
from rls_iron.content.store import (
    ContentStore,
    fingerprint,
    get_faq_entry_or_404,
    get_guide,
    get_store,
    get_topic_or_404,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MAX_FILE_BYTES",
    "OPTIONAL_IN_TRANSLATION",
    "ContentError",
    "ContentReport",
    "ContentStore",
    "DoctorQuestion",
    "DoctorQuestions",
    "FaqEntry",
    "FileStatus",
    "GlossaryLetter",
    "GlossaryTerm",
    "Guide",
    "PageLink",
    "Problem",
    "QuestionGroup",
    "Reference",
    "Renderer",
    "Section",
    "SiteText",
    "citation_keys",
    "counterpart_warnings",
    "editor_report",
    "fingerprint",
    "get_faq_entry_or_404",
    "get_guide",
    "get_store",
    "get_topic_or_404",
    "ignored_files",
    "load_guide",
    "validate_content",
]
