"""The news reader of accord.evidence: documents, claims, grouping, bad input, scores."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from accord.errors import AccordError, EvidenceError
from accord.evidence import (
    Document,
    contradictions,
    extract_claims,
    group_claims,
    read_document,
)

HERE = Path(__file__).parent
OWN = HERE / "data" / "articles"
ITALIAN = "it-piano-28-punti-2025-11-19.yaml"
ENGLISH = "en-geneva-revision-2025-11-24.yaml"


@pytest.fixture(scope="module")
def shared() -> Path:
    """The development articles (../shared/data/articles), skipped when absent."""
    folder = SHARED / "data" / "articles"
    if not (folder / ITALIAN).exists():
        pytest.skip("../shared/data/articles is not here")
    return folder


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_evidence", HERE.parent / "benchmarks" / "bench_evidence.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_evidence"] = module
    spec.loader.exec_module(module)
    return module


def _doc(text: str, language: str = "en", outlet: str | None = "Test Post") -> Document:
    return Document(id="t", path=None, outlet=outlet, date="2025-11-20", language=language,
                    text=text)


def _all_articles(shared: Path) -> list[Path]:
    return sorted(shared.glob("*.yaml")) + sorted(OWN.glob("*.yaml"))


# -- offsets and the development set's "done when" ----------------------------------------

def test_offsets_are_exact(shared):
    for path in _all_articles(shared):
        document = read_document(path)
        claims = extract_claims(document)
        assert claims, path
        for claim in claims:
            assert document.text[claim.start:claim.end] == claim.text
            assert claim.document == document.id
            assert claim.certainty in ("official", "reported", "alleged")


def test_scoop_and_confirmation_are_one_claim_from_two_outlets(shared):
    document = read_document(shared / ITALIAN)
    claims = extract_claims(document)
    scoop = [c for c in claims if c.text.startswith("Washington e Mosca")]
    assert {c.actor for c in scoop} == {"us", "russia"}
    for claim in scoop:
        assert claim.reported_by == ("Axios", "Wall Street Journal")
        assert claim.certainty == "alleged"
    groups = group_claims(claims, [document])
    for actor in ("us", "russia"):
        group = next(g for g in groups if g.actor == actor and g.earliest in scoop)
        assert group.corroboration == 2
        assert group.outlets == ("Axios", "Wall Street Journal")
    confirmation = next(c for c in claims if "ha confermato" in c.text)
    assert confirmation.kind == "confirmation" and confirmation.actor is None


def test_peskov_refusal_is_no_comment(shared):
    claims = extract_claims(read_document(shared / ITALIAN))
    peskov = [c for c in claims if "Peskov" in c.text]
    assert [(c.actor, c.kind, c.certainty) for c in peskov] == [
        ("russia", "no-comment", "official")]


def test_conditional_mood_is_alleged(shared):
    claims = extract_claims(read_document(shared / ITALIAN))
    conditional = [c for c in claims if any(w in c.text for w in (
        "avrebbero", "sarebbero", "sarebbe", "ricalcherebbe", "dovrebbe"))]
    assert len(conditional) >= 7
    assert {c.certainty for c in conditional} == {"alleged"}
    assert {c.cue for c in conditional} <= {"avrebbero", "sarebbero", "sarebbe",
                                            "ricalcherebbe", "dovrebbe"}


def _rates(bench, paths: list[Path]) -> dict[str, float | None]:
    total = bench.Score("total")
    for path in paths:
        total.add(bench.score_file(path))
    return total.rates()


def test_scores_on_the_development_set_and_our_own_articles_pass_the_goals(shared, bench):
    # deterministic: floors above the goals (found ≥ 80 %, unmatched ≤ 30 %,
    # certainty ≥ 85 %), a little below today's scores (docs/evidence.md)
    for paths, floor in ((sorted(shared.glob("*.yaml")), 0.95),
                         (sorted(OWN.glob("*.yaml")), 0.95)):
        rates = _rates(bench, paths)
        assert rates["found"] >= floor
        assert rates["unmatched"] <= 1 - floor
        assert rates["certainty"] >= floor


# -- rules on sentences of our own ---------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("Lavrov reportedly told aides that Moscow would not sign.", "en",
     [("russia", "alleged", "demand")]),
    ("Peskov declined to comment on the reports.", "en", [("russia", "official", "no-comment")]),
    ("According to Reuters, Witkoff met Dmitriev in Miami.", "en",
     [("us", "reported", "meeting"), ("russia", "reported", "meeting")]),
    ("The Kremlin denied that talks had taken place, Interfax reported.", "en",
     [("russia", "reported", "denial")]),
    ("Secondo Bloomberg, la Casa Bianca vuole un accordo entro Natale.", "it",
     [("us", "reported", "demand")]),
    ("Il ministro Sybiha ha smentito le indiscrezioni.", "it",
     [("ukraine", "official", "denial")]),
    ("Macron avrebbe proposto una forza di rassicurazione europea.", "it",
     [("europe", "alleged", "proposal")]),
    ("La guerra è entrata nel quarto anno.", "it", []),
    # an outlet reporting what a party did: the party's claim, known through the outlet
    ("Le Monde reported that Paris had privately asked for guarantees.", "en",
     [("europe", "reported", "demand")]),
    ("Il Corriere scrive che Mosca avrebbe chiesto il ritiro delle truppe.", "it",
     [("russia", "alleged", "demand")]),
    # the outlet in the object of a denial is not the speaker's source
    ("Vance denied a report in Politico that Washington would cut aid.", "en",
     [("us", "official", "denial")]),
    ("Dmitriev went further on Telegram, calling the scheme illegal.", "en",
     [("russia", "official", "statement")]),
    ("The European Commission unveiled a plan to lend Ukraine €90bn.", "en",
     [("europe", "official", "proposal")]),
    ("Dalla Casa Bianca non è arrivato alcun commento sull'esito dell'incontro.", "it",
     [("us", "official", "no-comment")]),
    ("Il cancelliere Merz si è detto «scettico» su alcuni dettagli.", "it",
     [("europe", "official", "statement")]),
    # a conditional after "dove" is still a hedge (after "che" it is not)
    ("Zelensky è volato a Bruxelles, dove sarebbero previsti colloqui con von der Leyen.",
     "it", [("ukraine", "alleged", "meeting"), ("europe", "alleged", "meeting")]),
    ("Il Papa ha ricevuto Zelensky a Castel Gandolfo.", "it",
     [("holy-see", "reported", "meeting"), ("ukraine", "reported", "meeting")]),
])
def test_rules(text, language, expected):
    claims = extract_claims(_doc(text, language))
    assert [(c.actor, c.certainty, c.kind) for c in claims] == expected


def test_a_source_is_reported_by_and_the_pronoun_is_the_last_speaker():
    claims = extract_claims(_doc("Zelensky said Kyiv would not give up Donetsk. "
                                 "He added that elections could follow a ceasefire."))
    assert [(c.actor, c.certainty) for c in claims] == [("ukraine", "official")] * 2
    claims = extract_claims(_doc("Bloomberg reported that the fund was dropped."))
    assert [(c.speaker, c.actor, c.reported_by) for c in claims] == [
        ("Bloomberg", None, ("Bloomberg",))]


def test_references_back_to_the_state_and_to_the_leaders_just_named():
    claims = extract_claims(_doc("Belgium holds most of the assets. Its prime minister is "
                                 "said to have warned colleagues."))
    assert [(c.actor, c.certainty) for c in claims] == [("europe", "reported"),
                                                        ("europe", "alleged")]
    claims = extract_claims(_doc("Zelensky è arrivato lunedì a Londra per incontrare Starmer, "
                                 "Macron e Merz. I tre leader avrebbero chiesto a Zelensky di "
                                 "non cedere il Donbass.", "it"))
    assert [(c.actor, c.kind) for c in claims] == [
        ("ukraine", "meeting"), ("europe", "meeting"), ("europe", "demand")]


# -- reading files -------------------------------------------------------------------------

def test_front_matter_and_markdown(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\nid: geneva-note\noutlet: Il Foglio Verde\ndate: 2025-11-24\n---\n"
                    "# Ginevra\n\nIl ministro **Sybiha** ha detto che la proposta è "
                    "[utile](https://example.org).\n", encoding="utf-8")
    document = read_document(path)
    assert (document.id, document.outlet, document.date, document.language) == (
        "geneva-note", "Il Foglio Verde", "2025-11-24", "it")
    assert "**" not in document.text and "](" not in document.text
    claims = extract_claims(document)
    assert [(c.actor, c.certainty) for c in claims] == [("ukraine", "official")]
    assert document.text[claims[0].start:claims[0].end] == claims[0].text


def test_options_win_over_front_matter(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\noutlet: A\n---\nPeskov said the talks were useful.\n",
                    encoding="utf-8")
    document = read_document(path, outlet="B", date="24 November 2025", language="en")
    assert (document.outlet, document.date, document.id) == ("B", "2025-11-24", "a")


def test_html_page_with_its_site_name(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Geneva</title>'
        '<meta property="og:site_name" content="The Example Post">'
        '<meta property="article:published_time" content="2025-11-24T18:00:00Z"></head>'
        '<body><nav><a href="/">Home</a></nav><article><h1>Talks in Geneva end</h1>'
        "<p>American and Ukrainian negotiators ended two days of talks in Geneva with what "
        "they called a refined peace framework.</p><p>The Kremlin said it had not received "
        "the new text and would not comment on leaks.</p></article>"
        "<footer>Copyright</footer></body></html>", encoding="utf-8")
    document = read_document(path)
    assert document.outlet == "The Example Post"
    assert document.date == "2025-11-24"
    assert document.language == "en"
    assert "Home" not in document.text and "Copyright" not in document.text
    claims = extract_claims(document)
    assert [(c.actor, c.kind) for c in claims] == [
        ("us", "meeting"), ("ukraine", "meeting"), ("russia", "no-comment")]


@pytest.mark.parametrize("name, content, expected", [
    ("empty.txt", b"  \n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin1.txt", "Il Cremlino ha detto perché sì".encode("latin-1"), "UTF-8"),
    ("french.txt", "Le président de la République a déclaré hier que la France continuera "
                   "à soutenir l'Ukraine et que les négociations de paix doivent respecter "
                   "la souveraineté du pays.".encode(), "unknown language"),
    ("nobody.html", b"<html><head><title>Nothing here</title></head></html>",
     "HTML without a body"),
    ("bad.yaml", b"document: [1, 2\n", "YAML"),
])
def test_bad_input_names_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        read_document(path)
    message = str(caught.value)
    assert str(path) in message and expected in message
    assert isinstance(caught.value, AccordError) and caught.value.exit_code == 2


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(EvidenceError, match="missing.txt"):
        read_document(tmp_path / "missing.txt")


# -- grouping ------------------------------------------------------------------------------

def _dated(id_: str, outlet: str, date: str, text: str, language: str = "en") -> Document:
    return Document(id=id_, path=None, outlet=outlet, date=date, language=language, text=text)


def test_the_same_claim_from_two_outlets_is_one_group_earliest_first():
    later = _dated("b", "Second Daily", "2025-11-25",
                   "Moscow has again rejected any deployment of European troops in Ukraine.")
    earlier = _dated("a", "First Daily", "2025-11-24",
                     "Moscow has rejected any deployment of European troops in Ukraine.")
    claims = extract_claims(later) + extract_claims(earlier)
    groups = group_claims(claims, [later, earlier])
    assert len(groups) == 1
    assert groups[0].outlets == ("First Daily", "Second Daily")
    assert groups[0].corroboration == 2 and groups[0].earliest.document == "a"


def test_across_languages_and_contradiction_of_figures():
    english = _dated("en", "Ledger", "2025-11-24", "France, Germany and Britain circulated "
                     "a counter-proposal that would allow Ukraine an army of 800,000.")
    italian = _dated("it", "Gazzetta", "2025-11-25", "La controproposta europea prevede un "
                     "esercito ucraino fino a 800 mila effettivi.", "it")
    other = _dated("x", "Post", "2025-11-26", "The European counter-proposal would cap "
                   "Ukraine's army at 600,000 troops.")
    documents = [english, italian, other]
    claims = [c for d in documents for c in extract_claims(d)]
    assert {c.actor for c in claims} == {"europe"}
    groups = group_claims(claims, documents)
    same = next(g for g in groups if g.earliest.document == "en")
    assert {m.document for m in same.members} == {"en", "it"}
    found = contradictions(groups, documents)
    assert len(found) == 1 and "different figures" in found[0].reason


def test_package_data_ships_the_lexicons():
    from importlib import resources
    names = {p.name for p in resources.files("accord.evidence").joinpath("lexicon").iterdir()}
    assert {"it.yaml", "en.yaml", "actors.yaml", "outlets.yaml"} <= names
    for name in ("it.yaml", "en.yaml"):
        data = yaml.safe_load(resources.files("accord.evidence").joinpath("lexicon", name)
                              .read_text("utf-8"))
        assert data["language"] == name[:2]
