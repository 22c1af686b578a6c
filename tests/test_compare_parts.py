"""The parts of the comparison: figures, names, editorial notes, word diffs, encoders."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.compare import (
    CharTfidfEncoder,
    TextEncoder,
    diff_plans,
    encoder_names,
    get_encoder,
    register_encoder,
)
from accord.compare.changes import point_changes, word_changes
from accord.compare.cues import editorial_status, qualifiers
from accord.compare.entities import entity_ids
from accord.compare.figures import extract_figures, figure_changes
from accord.compare.text import clauses
from accord.errors import UsageError
from accord.io.plans import load_builtin_plan


@pytest.mark.parametrize(("text", "language", "value", "unit"), [
    ("capped at 600,000 personnel", "en", 600_000, ""),
    ("600k troops", "en", 600_000, ""),
    ("non oltre 600.000 effettivi", "it", 600_000, ""),
    ("600 mila soldati", "it", 600_000, ""),
    ("within 100 days", "en", 100, "day"),
    ("entro cento giorni", "it", 100, "day"),
    ("USD 100bn goes", "en", 100e9, "usd"),
    ("$100bn", "en", 100e9, "usd"),
    ("100 miliardi di dollari", "it", 100e9, "usd"),
    ("1,5 miliardi di euro", "it", 1.5e9, "eur"),
    ("power split equally", "en", 50, "%"),
    ("shared 50/50", "en", 50, "%"),
    ("divisa a metà", "it", 50, "%"),
    ("a 30% share", "en", 30, "%"),
    ("the past three decades", "en", 30, "year"),
])
def test_figures_are_read_in_english_and_italian(text, language, value, unit):
    [figure] = extract_figures(text, language)
    assert figure.value == pytest.approx(value) and figure.unit == unit


@pytest.mark.parametrize("text", ["NATO Article 5", "an Article-5-like clause", "the 28-point plan",
                                  "rejoin the G8", "on 7 Oct"])
def test_numbers_that_name_things_are_not_figures(text):
    assert extract_figures(text) == ()


@given(st.integers(1, 10**9))
def test_a_number_reads_the_same_in_either_language_style(value):
    english = f"{value:,}"
    italian = english.replace(",", ".")
    assert [f.value for f in extract_figures(f"cap of {english} troops", "en")] == [value]
    assert [f.value for f in extract_figures(f"tetto di {italian} soldati", "it")] == [value]


def test_figure_changes_pair_values_of_one_unit():
    before = extract_figures("capped at 600,000 within 100 days")
    after = extract_figures("capped at 800,000 and 50% of the profits")
    assert [c.describe() for c in figure_changes(before, after)] == [
        "600,000 → 800,000", "− 100 days", "+ 50%"]


def test_names_come_from_the_gazetteer_in_both_languages():
    assert entity_ids("Le forze armate ucraine e la Nato; il presidente americano") == {
        "ukraine", "nato", "trump"}
    assert entity_ids("the European Union and the US") == {"eu", "us"}
    assert "us" not in entity_ids("let us talk")


@pytest.mark.parametrize(("text", "status"), [
    ("Deleted (the line on NATO is struck).", "dropped"),
    ("The blanket amnesty for wartime acts is dropped.", "dropped"),
    ("L'amnistia generale viene eliminata.", "dropped"),
    ("The 600,000 cap is removed or raised (no longer 'on the table').", None),
    ("Territorial questions are left in brackets for the presidents.", "bracketed"),
    ("Clauses on US-Russia matters are moved out of the text into separate tracks.",
     "moved-out"),
    ("Agreed territorial arrangements may not be changed by force.", None),
])
def test_editorial_notes_are_read_in_the_opening_clause(text, status):
    assert editorial_status(text) == status


def test_clauses_keep_abbreviations_and_drop_notes():
    assert clauses("Clauses (e.g. arms control) go. St. Petersburg stays; the rest waits.") == [
        "Clauses go", "St. Petersburg stays", "the rest waits"]


def test_qualifiers_and_negated_notes_mark_a_change():
    changes = point_changes("NATO undertakes not to station troops in Ukraine.",
                            "NATO will not permanently station troops in Ukraine in peacetime.")
    assert changes.qualifiers_added == ("peacetime", "permanent")
    assert qualifiers("Ceasefire starts immediately after withdrawal") == {"immediately",
                                                                            "after"}
    note = point_changes("Ukraine holds elections within 100 days.",
                         "Ukraine holds elections soon (instead of within 100 days).")
    assert [c.describe() for c in note.figures] == ["− 100 days"]
    assert any("instead of" in reason for reason in note.reasons())


def test_word_changes_show_what_was_replaced():
    changes = word_changes("Forces are capped at 600,000 personnel now.",
                           "Forces are capped at 800,000 in peacetime now.")
    assert [(c.op, c.before, c.after) for c in changes] == [
        ("replace", "600,000 personnel", "800,000 in peacetime")]
    assert [c.op for c in word_changes("a b c", "a c")] == ["delete"]


def test_the_default_encoder_gives_unit_rows():
    vectors = CharTfidfEncoder().encode(["ceasefire now", "a ceasefire", ""])
    assert vectors.shape[0] == 3
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0)
    assert isinstance(get_encoder(), TextEncoder)


class _WordCountEncoder:
    """A toy plug-in: bag of lower-case words over a fixed vocabulary."""

    name = "toy"
    multilingual = False

    def encode(self, texts):
        vocabulary = sorted({w for t in texts for w in t.lower().split()}) or ["-"]
        rows = np.array([[t.lower().split().count(w) for w in vocabulary] for t in texts], float)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def test_an_encoder_plug_in_is_registered_and_used():
    register_encoder("toy", lambda option: _WordCountEncoder())
    assert "toy" in encoder_names()
    plan = load_builtin_plan("ukraine-28-point-2025-11")
    diff = diff_plans(plan, plan, get_encoder("toy"))
    assert diff.encoder == "toy" and diff.counts()["carried-over"] == 28


def test_unknown_and_unavailable_encoders_are_user_errors():
    with pytest.raises(UsageError, match="unknown text encoder"):
        get_encoder("word2vec")
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError, match="sentence-transformers"):
            get_encoder("sentence-transformers")


def test_the_sentence_transformers_backend_loads_local_models_only(monkeypatch):
    """A stand-in for the optional package: the backend must ask for local files only,
    and as a multilingual encoder it is trusted across languages."""
    import sys
    import types

    calls = {}

    class FakeModel:
        def __init__(self, name, **options):
            calls.update(options, name=name)

        def encode(self, texts, normalize_embeddings):
            rows = np.array([[1.0, len(t) % 3, 0.5] for t in texts])
            return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    monkeypatch.setitem(sys.modules, "sentence_transformers",
                        types.SimpleNamespace(SentenceTransformer=FakeModel))
    encoder = get_encoder("sentence-transformers:/models/local-minilm")
    assert calls == {"name": "/models/local-minilm", "local_files_only": True}
    assert encoder.multilingual and encoder.name.endswith("/models/local-minilm")
    english = load_builtin_plan("ukraine-28-point-2025-11")
    italian = english.model_copy(update={"id": "it", "language": "it"})
    from accord.compare.similarity import channels, point_features

    _, present = channels(point_features(english), point_features(italian), encoder)["text"]
    assert present.all()
