"""`{% faq_title results as title %}`, `{% search_status results %}`: what /faq/ says of a search.

Worded here rather than in faq.html, where each was one template line of nested
``blocktranslate`` tags hundreds of characters long. The message ids are the ones the
template used, so the Spanish translations in locale/ still apply.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rls_iron.search import SearchResults

register = template.Library()


@register.simple_tag
def faq_title(results: SearchResults) -> str:
    """The page title: the questions, or the words searched for (the template escapes it)."""
    title = _("Questions about iron for RLS")
    if not results.is_search:
        return title
    # Outside the f-string: xgettext does not look inside one, so makemessages would drop the id.
    label = _("search results")
    return f"“{results.text}”: {label} | {title}"


@register.simple_tag
def search_status(results: SearchResults) -> SafeString:
    """How many questions are shown, for the live region screen readers announce."""
    count = results.count
    if not results.is_search:
        message = ngettext(
            "Showing all %(counter)s questions.", "Showing all %(counter)s questions.", count
        )
    elif count:
        message = ngettext(
            "%(counter)s question matches “%(text)s”.",
            "%(counter)s questions match “%(text)s”.",
            count,
        )
    else:
        message = _("No questions match “%(text)s”.")
    # Safe: the reader's words, the only part not written by us, are escaped right here.
    return mark_safe(message % {"counter": count, "text": escape(results.text)})
