"""When there is no deal (issue 17): what blocks it and the candidate drafts, on the
shipped ukraine-2025 scenario and its four delegations, under each delegation's sharing
and disclosure choices (docs/room.md, "When there is no deal"). On SQLite and PostgreSQL."""

from __future__ import annotations

import re

from room_helpers import Person, app, postgres_url  # noqa: F401 (fixtures)

DONETSK = "donetsk-remainder"
DONETSK_TITLE = "Ukrainian-held remainder of Donetsk oblast"


def ukraine_room(app) -> tuple[Person, dict[str, Person], Person]:
    """The mediator, the four delegations (each imported its party's preferences, shares
    nothing), and an observer."""
    mediator = Person(app)
    mediator.open_shipped("ukraine-2025")
    delegations = {}
    for seat in mediator.state["roster"]:
        if seat["role"] != "delegation":
            continue
        page = mediator.form(f"members/{seat['id']}/invite", {}).text
        person = Person(app).join(re.search(r"(/join/[\w-]+)", page).group(1))
        imported = person.form("preferences/import", {"shipped": "ukraine-2025"})
        assert imported.status_code == 200, imported.text
        delegations[seat["party"]] = person
    observer = Person(app).join(mediator.invite("Press", "observer"))
    # Delegations see their own demands in the way for preferences older than the current
    # draft: the mediator tables the agenda, every point open.
    assert mediator.post("api/drafts", {"title": "Agenda", "options": {}}).is_success
    return mediator, delegations, observer


def named(html: str) -> list[str]:
    """The delegations a page section names (the room marks each name class="named-delegation")."""
    return re.findall(r'class="named-delegation">([^<]*)<', html)


def section(html: str, element_id: str) -> str:
    """The text of the <section> with this id ('' when the page has none)."""
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_mediator_sees_what_blocks_the_deal_as_far_as_each_delegation_allows(app):
    mediator, delegations, observer = ukraine_room(app)
    assert mediator.get("api/zone").json()["verdict"] == "no"

    # Nothing shared, nothing disclosed: two blocking demands, counted, never named.
    view = mediator.get("api/impasse").json()["impasse"]
    assert view["blocking"] == [[{"kind": "undisclosed"}], [{"kind": "undisclosed"}]]
    kinds = [c["kind"] for c in view["candidates"]]
    assert kinds == ["closest", "relaxation", "relaxation"]
    for candidate in view["candidates"]:
        assert candidate["fails"] == [] and candidate["fails_undisclosed"] >= 1
        assert set(candidate["package"]) == {i["id"] for i in mediator.state["issues"]}
    page = section(mediator.get("").text, "impasse")
    assert "a demand its delegation has not disclosed" in page
    assert "Candidate next drafts" in page and "Fill the draft form with it" in page
    assert named(page) == []

    # Russia shares its red lines: its Donetsk demand is named by point and option.
    assert delegations["russia"].post("api/sharing", ["red_lines"]).status_code == 200
    view = mediator.get("api/impasse").json()["impasse"]
    shown = [d for s in view["blocking"] for d in s if d.get("delegation")]
    assert shown == [{"delegation": "Russian Federation", "kind": "red-line",
                      "point": DONETSK, "options": ["hold-line"]}]
    page = section(mediator.get("").text, "impasse")
    assert DONETSK_TITLE in page and "Russian Federation</span>: red line on" in page
    assert set(named(page)) == {"Russian Federation"}
    assert "Ukraine keeps it; talks start from the line of contact" in page

    # Ukraine lets the mediator know it holds a demand in the way, then which one.
    assert delegations["ukraine"].form("disclosure", {"disclosure": "delegation"}
                                       ).status_code == 200
    view = mediator.get("api/impasse").json()["impasse"]
    assert {"delegation": "Ukraine", "kind": "undisclosed"} in [d for s in view["blocking"]
                                                               for d in s]
    assert "Ukraine" in " ".join(" ".join(c["fails"]) for c in view["candidates"])
    assert delegations["ukraine"].post("api/disclosure", {"disclosure": "demands"}
                                       ).json() == {"disclosure": "demands"}
    view = mediator.get("api/impasse").json()["impasse"]
    assert {"delegation": "Ukraine", "kind": "red-line", "point": DONETSK,
            "options": ["withdraw-to-russia", "withdraw-to-buffer"]} in [
        d for s in view["blocking"] for d in s]

    # The mediator's history says that Ukraine chose, never what (it would tell whose
    # undisclosed demands are the ones counted).
    chosen = [e for e in mediator.get("api/history", params={"limit": 1000}).json()["history"]
              if e["kind"] == "disclosure-changed"]
    assert chosen and all(e["detail"] == {} for e in chosen)

    # Neither an observer nor a bad choice gets through.
    assert observer.get("api/impasse").status_code == 403
    assert delegations["us"].post("api/disclosure", {"disclosure": "all"}).status_code == 422
    assert mediator.post("api/disclosure", {"disclosure": "demands"}).status_code == 403


def test_each_delegation_is_told_privately_which_of_its_demands_stand_in_the_way(app):
    mediator, delegations, _ = ukraine_room(app)
    ukraine = delegations["ukraine"].get("api/impasse").json()["impasse"]
    assert ukraine == {"disclosure": "nothing", "mine": [
        {"kind": "red-line", "point": DONETSK,
         "options": ["withdraw-to-russia", "withdraw-to-buffer"],
         "opens": [{"with_own": [], "with_others": False}]}]}
    page = delegations["ukraine"].get("").text
    mine = section(page, "my-demands")
    assert DONETSK_TITLE in mine and "relaxing it alone would open a zone" in mine
    assert named(mine) == []
    assert "Ukraine keeps it; talks start from the line of contact" not in mine
    assert 'id="disclosure-form"' in page
    # No demand of its own in the way: it learns nothing (not even that there is no zone).
    assert delegations["us"].get("api/impasse").json() == {"impasse": None}
    assert section(delegations["us"].get("").text, "my-demands") == ""

    # Changing its preferences does not let a delegation probe the others': the answer
    # waits for the next draft (one look per draft).
    me = delegations["us"].get(f"api/preferences/{delegations['us'].state['member']}").json()
    assert delegations["us"].post("api/preferences", me["preferences"]).is_success
    pending = delegations["us"].get("api/impasse").json()["impasse"]
    assert pending == {"pending": True, "mine": [], "disclosure": "nothing"}
    assert "shown again once the mediator publishes the next draft" in \
        delegations["us"].get("").text
    assert mediator.post("api/drafts", {"title": "Next", "options": {}}).is_success
    assert delegations["us"].get("api/impasse").json() == {"impasse": None}
    assert delegations["ukraine"].get("api/impasse").json()["impasse"] == ukraine


def test_a_candidate_fills_the_draft_form_and_a_relaxation_opens_the_zone(app):
    mediator, delegations, _ = ukraine_room(app)
    view = mediator.get("api/impasse").json()["impasse"]
    for k, candidate in enumerate(view["candidates"]):
        page = mediator.form("propose", {"candidate": str(k)})
        assert page.status_code == 200, page.text
        form = section(page.text, "proposal") + page.text.split('id="publish-form"')[1]
        for issue, option in candidate["package"].items():
            assert re.search(rf'name="option-{issue}"[^>]*>.*?<option value="{option}" selected',
                             form, re.S), (k, issue)
    assert mediator.form("propose", {"candidate": "7"}).status_code == 404
    for bad in ("x", "²", "٣", "00000001", "-1", " 1"):  # 422, never a 500 or a truncation
        assert mediator.form("propose", {"candidate": bad}).status_code == 422, bad
    # Ukraine drops its Donetsk red line: a zone opens and the impasse is gone.
    prefs = delegations["ukraine"].get(
        f"api/preferences/{delegations['ukraine'].state['member']}").json()["preferences"]
    prefs["preferences"][DONETSK]["red_lines"] = []
    assert delegations["ukraine"].post("api/preferences", prefs).status_code == 200
    assert mediator.get("api/zone").json()["verdict"] == "yes"
    assert mediator.get("api/impasse").json() == {"impasse": None}
    assert section(mediator.get("").text, "impasse") == ""


def test_a_points_wording_stays_with_its_option_and_open_points_are_not_asked(app):
    """Issue 17: a proposal that changes a point's option must not carry the old wording
    into the form; a point a draft leaves open is shown open, with nothing to answer."""
    mediator, delegations, _ = ukraine_room(app)
    wording = "The area becomes a demilitarised buffer zone."
    assert mediator.post("api/drafts", {"title": "Two", "options": {DONETSK: "hold-line"},
                                        "texts": {DONETSK: wording}}).is_success
    view = mediator.get("api/impasse").json()["impasse"]
    candidates = section(mediator.get("").text, "impasse")
    changes = re.findall(r'<ul class="changes">(.*?)</ul>', candidates, re.S)
    assert len(changes) == len(view["candidates"])  # what each changes in draft 2
    for listed, candidate in zip(changes, view["candidates"], strict=True):
        differing = [i for i, o in candidate["package"].items()
                     if o != ("hold-line" if i == DONETSK else None)]
        assert listed.count("<li>") == len(differing) and "(draft 2: open)" in listed
    moved = next(k for k, c in enumerate(view["candidates"])
                 if c["package"][DONETSK] != "hold-line")
    form = mediator.form("propose", {"candidate": str(moved)}).text.split(
        'id="publish-form"')[1]
    field = re.search(rf'<input name="text-{DONETSK}"[^>]*>', form).group(0)
    assert 'value=""' in field and 'data-option="hold-line"' in field
    kept = re.search(r'<input name="text-[^"]+"[^>]*value="[^"]+"', form)
    assert kept is None  # draft 2 worded only the Donetsk point
    form = mediator.get("").text.split('id="publish-form"')[1]  # the option unchanged
    assert wording in re.search(rf'<input name="text-{DONETSK}"[^>]*>', form).group(0)

    answers = section(delegations["ukraine"].get("").text, "current-draft")
    assert f'name="verdict-{DONETSK}"' in answers
    assert answers.count('name="verdict-') == 3  # one point with an option, three verdicts
    assert answers.count("open in this draft: nothing to answer yet") == \
        len(mediator.state["issues"]) - 1
