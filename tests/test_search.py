"""FAQ search: how words match (case, accents, stems, synonyms, in English and Spanish), and the
page and fragment."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from rls_iron.content import LANGUAGES, get_guide, validate_content
from rls_iron.search import STEMMERS, STOPWORDS, SearchIndex, Synonyms, fold, parse_query, stem
from tests.helpers import element_by_id

DOCUMENTS = [
    ("thyroid", "Can I take my iron pill with my thyroid pill?", "Take them 4 hours apart."),
    ("coffee", "Can I drink coffee with iron?", "Coffee and tea cut how much iron you take in."),
    ("drip", "Is an iron drip safe?", "An IV drip is given in a clinic, with staff watching."),
    ("test", "When should my blood be tested?", "Have your blood taken in the morning."),
    ("cafe", "What about the café near the clinic?", "A Café Crème is still coffee."),
]


@pytest.fixture
def index() -> SearchIndex:
    synonyms = Synonyms.from_groups([["pill", "tablet"], ["IV", "infusion", "drip"]], language="en")
    return SearchIndex(DOCUMENTS, synonyms, language="en")


def slugs(results) -> list[str]:
    return [hit.item for hit in results.hits]


def marked(parts) -> list[str]:
    return [text for text, is_match in parts if is_match]


def test_matching_ignores_case(index):
    assert slugs(index.search("THYROID")) == ["thyroid"]


def test_matching_ignores_accents_both_ways(index):
    assert slugs(index.search("creme")) == ["cafe"]
    assert slugs(index.search("thýroid")) == ["thyroid"]
    assert fold("Crème Brûlée") == "creme brulee"


def test_matching_finds_other_forms_of_a_word(index):
    assert slugs(index.search("pills")) == ["thyroid"]
    assert slugs(index.search("testing ")) == ["test"]
    assert slugs(index.search("drinking ")) == ["coffee"]


def test_matching_uses_the_editors_synonyms(index):
    assert slugs(index.search("thyroid tablets")) == ["thyroid"]
    assert slugs(index.search("infusion ")) == ["drip"]


def test_every_meaningful_word_must_match(index):
    assert slugs(index.search("coffee thyroid ")) == []
    assert set(slugs(index.search("coffee "))) == {"coffee", "cafe"}


def test_small_common_words_are_left_out_of_the_match(index):
    results = index.search("can I take my iron pill with my thyroid pill")
    assert slugs(results) == ["thyroid"]
    assert "my" not in marked(results.hits[0].title_parts)


def test_the_last_word_matches_while_it_is_still_being_typed(index):
    assert slugs(index.search("thyr")) == ["thyroid"]
    # A finished word (followed by a space) must match as a whole word.
    assert slugs(index.search("thyr ")) == []
    # Two letters are too few to guess from.
    assert slugs(index.search("th")) == []


def test_question_matches_rank_above_answer_matches(index):
    results = index.search("coffee")
    assert slugs(results) == ["coffee", "cafe"]


def test_matched_words_are_highlighted_in_question_and_snippet(index):
    (hit,) = index.search("tablet").hits
    assert marked(hit.title_parts) == ["pill", "pill"]
    assert "".join(text for text, _ in hit.title_parts) == DOCUMENTS[0][1]
    (hit,) = index.search("morning").hits
    assert marked(hit.snippet_parts) == ["morning"]


def test_snippet_is_a_short_window_around_the_first_match():
    body = " ".join(f"word{number}" for number in range(100)) + " ferritin " + "tail " * 100
    index = SearchIndex([("long", "A question", body)], Synonyms(), language="en")
    (hit,) = index.search("ferritin").hits
    text = "".join(part for part, _ in hit.snippet_parts)
    assert text.startswith("… word92")
    assert text.endswith(" …")
    assert len(text.split()) < 40


def test_no_result_suggests_questions_that_match_some_words(index):
    results = index.search("coffee morning")
    assert results.hits == ()
    assert {hit.item for hit in results.near} == {"coffee", "cafe", "test"}


def test_an_empty_or_wordless_query_lists_everything(index):
    for text in ("", "   ", "?!", "—"):
        results = index.search(text)
        assert not results.is_search
        assert slugs(results) == [item for item, _, _ in DOCUMENTS]


def test_a_very_long_query_is_shortened_not_refused(index):
    query = parse_query("iron " * 500, Synonyms(), language="en")
    assert query.was_shortened
    assert len(query.text) <= 200


# --------------------------------------------------------------------------- Spanish

SPANISH_DOCUMENTS = [
    ("cafe", "¿Puedo tomar mi pastilla con café?", "No. Tome su pastilla con agua."),
    ("estomago", "¿Qué hago si me cae mal al estómago?", "Tal vez tiene un dolor de estómago."),
    ("despues", "¿Cuándo como?", "Coma 2 horas después de la pastilla. También beba agua."),
    ("sin", "¿Y si no tengo hambre?", "Siga sin comer."),
]


@pytest.fixture
def spanish_index() -> SearchIndex:
    synonyms = Synonyms.from_groups([["dolor", "duele"]], language="es")
    return SearchIndex(SPANISH_DOCUMENTS, synonyms, language="es")


def test_every_content_language_has_a_stemmer_and_small_words():
    assert set(STEMMERS) == set(STOPWORDS) == set(LANGUAGES)


def test_spanish_stemming_matches_other_forms_of_a_verb(spanish_index):
    # "tomo" (I take) must find "tomar" (to take) and "tome" (take!); the English stemmer
    # leaves all three apart.
    assert slugs(spanish_index.search("tomo ")) == ["cafe"]


def test_spanish_small_words_are_left_out_of_the_match(spanish_index):
    results = spanish_index.search("me duele el estómago")
    assert slugs(results) == ["estomago"]
    assert [term.word for term in results.query.terms] == ["duele", "estomago"]


def test_spanish_words_that_change_the_meaning_stay_searchable(spanish_index):
    query = parse_query("no la tome nunca ni sin agua", Synonyms(), language="es")
    assert [term.word for term in query.terms] == ["no", "tome", "nunca", "ni", "sin", "agua"]
    assert slugs(spanish_index.search("sin comer")) == ["sin"]


def test_spanish_typing_without_accents_finds_accented_words(spanish_index):
    assert slugs(spanish_index.search("estomago")) == ["estomago"]
    # The stemmer treats some accented endings apart ("después" but "despu" for "despues"),
    # so a word is stemmed only once its accents are gone.
    assert slugs(spanish_index.search("despues ")) == ["despues"]
    assert slugs(spanish_index.search("tambien ")) == ["despues"]


def test_the_same_word_is_stemmed_in_each_language_apart():
    # One cache serves both languages: a stem from one must never come back for the other.
    assert stem("tomas", language="es") == "tom"
    assert stem("tomas", language="en") == "toma"
    assert stem("tomas", language="es") == "tom"


def test_the_spanish_synonyms_file_is_stemmed_in_spanish(make_content):
    from rls_iron.content import load_guide

    folder = make_content()
    folder.language_dir = folder.root / "es"
    folder.populate()
    folder.faq("question-two", 2, "¿Cómo tomo las píldoras?", "Con agua.\n")
    folder.synonyms("- pastilla, píldora\n")
    guide = load_guide(folder.root, "es")
    assert [hit.item.slug for hit in guide.search_faq("pastillas ").hits] == ["question-two"]


# The real Spanish content: what readers type, and the answers they must get.


def spanish_slugs(text: str) -> list[str]:
    return [hit.item.slug for hit in get_guide("es").search_faq(text).hits]


def test_real_spanish_search_finds_answers_that_say_take_in_another_form():
    found = spanish_slugs("tomo hierro")
    # They say "tome su pastilla", "antes de tomar hierro", "un día sí y otro no ... tome".
    assert {"coffee-tea-milk", "ask-doctor-before-iron", "every-other-day"} <= set(found)
    assert len(found) >= 10


def test_real_spanish_search_finds_the_stomach_answer_in_a_patients_words():
    for text in ("me duele el estómago", "me duele el estomago"):
        assert "stomach-upset" in spanish_slugs(text)
    assert spanish_slugs("estomago")[0] == "stomach-upset"


def test_real_spanish_search_puts_the_coffee_answer_first():
    assert spanish_slugs("puedo tomar hierro con café")[0] == "coffee-tea-milk"


# --------------------------------------------------------------------------- content


def test_synonyms_file_is_read_and_checked_with_lines(content_folder):
    path = content_folder.synonyms(
        "Notes for editors are ignored.\n\n- tablet, pill\n- lonely\n- iron drip, infusion, drip\n"
    )
    problems = validate_content(content_folder.root).problems
    found = {(problem.code, problem.line) for problem in problems}
    # Front matter takes lines 1-3 ("---", "", "---"); the list starts on line 6.
    assert found == {("rls_iron.W022", 7), ("rls_iron.W023", 8)}
    assert all(problem.path.endswith(path.name) for problem in problems)


def test_real_synonyms_find_the_thyroid_answer_in_a_patients_words(settings):
    from rls_iron.content import load_guide

    guide = load_guide(settings.CONTENT_DIR)
    results = guide.search_faq("can I take iron with my levothyroxine tablet")
    assert results.hits[0].item.slug == "iron-and-thyroid-pill"
    results = guide.search_faq("Is an IV infusion safe")
    assert results.hits[0].item.slug == "is-iv-iron-safe"


# --------------------------------------------------------------------------- pages


def test_faq_search_without_javascript_is_a_whole_page_with_the_results(client, content_folder):
    response = client.get("/faq/", {"q": "second"})
    assert response.status_code == 200
    assertContains(response, "<h1>Questions about iron for RLS</h1>", html=True)
    search_box = element_by_id(response.content.decode(), "faq-search-words")
    assert search_box["name"] == "q"
    assert search_box["value"] == "second"
    assertContains(response, "Is this the <mark>second</mark> question?", html=True)
    assertNotContains(response, "Is this the first question?")
    assertContains(
        response,
        '<p class="search-status" id="search-status" role="status">'
        "1 question matches “second”.</p>",
        html=True,
    )


def test_faq_search_htmx_request_returns_the_results_fragment_only(client, content_folder):
    response = client.get("/faq/", {"q": "second"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Medical disclaimer" not in response.content
    assertContains(
        response,
        '<p id="search-status" hx-swap-oob="innerHTML">1 question matches “second”.</p>',
        html=True,
    )
    assertContains(response, 'href="/faq/question-two/"')
    assertNotContains(response, 'href="/faq/question-one/"')
    assert "HX-Request" in response["Vary"]
    assert "HX-Replace-Url" not in response


def test_clearing_the_search_box_shares_the_plain_faq_address(client, content_folder):
    response = client.get("/faq/", {"q": ""}, headers={"HX-Request": "true"})
    assert response["HX-Replace-Url"] == "/faq/"
    assertContains(response, "Showing all 2 questions.")


def test_search_words_are_escaped_and_never_become_markup(client, content_folder):
    response = client.get("/faq/", {"q": '<script>alert("x")</script> second'})
    assert b"<script>alert" not in response.content
    assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")


def test_no_results_suggests_questions_and_links_to_the_guide(client, content_folder):
    response = client.get("/faq/", {"q": "zebra"})
    assertContains(response, "No questions match “zebra”.")
    assertContains(
        response, '<a href="/faq/question-one/">Is this the first question?</a>', html=True
    )
    assertContains(response, '<a href="/">read the whole guide</a>', html=True)


@pytest.mark.parametrize("query", ["x" * 5000, "\x00\x01", "%", "ü" * 300, "a b c d " * 40])
def test_odd_searches_get_a_page_not_an_error(client, content_folder, query):
    response = client.get("/faq/", {"q": query})
    assert response.status_code == 200
