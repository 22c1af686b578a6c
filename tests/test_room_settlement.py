"""After a settlement (issue 17): when every delegation accepts a draft that some other
text beats for everyone, the mediator is offered that text (a post-settlement settlement,
Raiffa 1985); the agreed draft stays the fallback until every delegation accepts the
improvement. Checked against the exact engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import numpy as np
from room_helpers import Person, app, postgres_url  # noqa: F401 (fixtures)

from accord.analysis import compile_space
from accord.analysis.efficiency import pareto_efficiency
from accord.analysis.utility import utilities
from accord.room.engine import build_scenario

ISSUES = "Ceasefire: immediate; phased; none\nSanctions: lifted; eased; kept"
PREFERENCES = {  # both prefer a phased ceasefire with sanctions eased to what they settle on
    "North": {"reservation": 0.2, "preferences": {
        "ceasefire": {"salience": 2, "valuations": {"immediate": 0.3, "phased": 1.0, "none": 0.0},
                      "red_lines": ["none"]},
        "sanctions": {"salience": 1, "valuations": {"lifted": 0.2, "eased": 1.0, "kept": 0.4}}}},
    "South": {"reservation": 0.3, "preferences": {
        "ceasefire": {"salience": 1, "valuations": {"immediate": 0.5, "phased": 0.9, "none": 0.0}},
        "sanctions": {"salience": 2, "valuations": {"lifted": 0.1, "eased": 0.8, "kept": 0.6}}}},
}


def settlement_section(person: Person) -> str:
    found = re.search(r'<section[^>]*id="settlement".*?</section>', person.get("").text, re.S)
    return found.group(0) if found else ""


def test_an_agreed_but_dominated_draft_gets_an_improvement_both_accept(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    delegations = {name: Person(app).join(mediator.invite(name)) for name in PREFERENCES}
    for name, person in delegations.items():
        assert person.post("api/preferences", PREFERENCES[name]).status_code == 200
    agreed = {"ceasefire": "immediate", "sanctions": "kept"}
    assert mediator.post("api/drafts", {"title": "One", "options": agreed}).is_success
    assert settlement_section(mediator) == ""  # nobody has answered yet
    for verdict_of_south in ("reject", "can-live-with"):
        for name, person in delegations.items():
            verdict = verdict_of_south if name == "South" else "accept"
            assert person.post("api/drafts/1/answers", {
                issue: {"verdict": verdict, "comment": ""} for issue in agreed}).is_success
        if verdict_of_south == "reject":
            assert settlement_section(mediator) == ""  # one rejection: nothing is agreed

    section = settlement_section(mediator)
    assert "draft 1: One" in section and "Fill the draft form with it" in section
    page = mediator.form("propose", {"improvement": "1"})
    assert page.status_code == 200, page.text
    assert "A text every delegation prefers to the agreed draft 1" in page.text
    form = page.text.split('id="publish-form"')[1]
    improvement = {issue: re.search(rf'name="option-{issue}"[^>]*>.*?<option value="(\w+)" '
                                    r'selected', form, re.S).group(1) for issue in agreed}
    assert 'value="Improvement on draft 1"' in form

    # The exact engine agrees: better for both, red lines kept, and nothing beats it.
    roster = mediator.get("api/state").json()["roster"]
    scenario = build_scenario("t", "Talks", mediator.state["issues"],
                              [(m["party"], m["name"], PREFERENCES[m["name"]])
                               for m in roster if m["role"] == "delegation"])
    space = compile_space(scenario)
    before = utilities(space, space.package_from_ids(agreed))[0]
    after = utilities(space, space.package_from_ids(improvement))[0]
    assert np.all(after > before), (before, after)
    assert pareto_efficiency(space, space.package_from_ids(improvement)).efficient

    assert mediator.post("api/drafts", {"title": "Improvement on draft 1",
                                        "options": improvement}).is_success
    section = settlement_section(mediator)
    assert "It stays the agreed text unless every delegation accepts draft 2" in section
    for person in delegations.values():
        assert person.post("api/drafts/2/answers", {
            issue: {"verdict": "accept", "comment": ""} for issue in agreed}).is_success
    section = settlement_section(mediator)
    assert "draft 2: Improvement on draft 1" in section
    assert "is Pareto-efficient" in section and "Fill the draft form" not in section
    assert mediator.form("propose", {"improvement": "1"}).status_code == 404
    # Only the mediator reads the settlement: it is made of everyone's answers.
    for person in delegations.values():
        assert settlement_section(person) == ""
