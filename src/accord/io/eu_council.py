"""Who must agree on an EU legislative act: the Council's voting rules from 1995 to 2020.

The Council of the EU decides by qualified majority (QMV) or unanimity; how a qualified
majority is counted changed with each enlargement and with the Treaty of Lisbon. This
module holds the member states and their weights of every period, as the treaties give
them, and turns one act (its date, its voting rule and its procedure) into a decision
rule of accord's scenario format (`accord.model.rule`): a threshold over a named party
weight (`votes-eu27`, `population-eu28`, ...), or every member state required.

Periods (the rule in force on the date of the Council's decision):

- `eu15`, from 1 January 1995: 15 members, 62 of 87 votes (Art. 148(2) EC, later
  205(2), as adapted by the 1994 Act of Accession, OJ C 241, 29.8.1994, and Council
  Decision 95/1/EC, OJ L 1, 1.1.1995);
- `eu25-2004`, from 1 May 2004: 25 members, 88 of 124 votes (2003 Act of Accession,
  Art. 26, OJ L 236, 23.9.2003);
- `eu25`, from 1 November 2004: 232 of 321 votes and a majority of the members, 13
  (Treaty of Nice, Protocol on the enlargement, Art. 3, as amended by the 2003 Act of
  Accession, Art. 12);
- `eu27`, from 1 January 2007: 255 of 345 votes and 14 members (2005 Act of Accession,
  Art. 22, OJ L 157, 21.6.2005);
- `eu28`, from 1 July 2013: 260 of 352 votes and 15 members (2012 Act of Accession,
  Art. 20, OJ L 112, 24.4.2012);
- `eu28-lisbon`, from 1 November 2014: 55% of the members (16) and 65% of the population
  (Art. 16(4) TEU, Art. 238(3) TFEU; Protocol No 36, Art. 3).

Where an act is not adopted on a proposal from the Commission (DEU's `QMV(10)`), the
qualified majority must also be cast by at least 10 members (EU-15), two thirds of them
(EU-25 to EU-28 under Nice) or 72% of them (Lisbon, Art. 238(2) TFEU).

What is left out, because accord's rules are conjunctions of conditions:
- the Nice "population check" (a member may ask that a qualified majority hold 62% of
  the Union's population): it needs a request, which the data do not record;
- the Lisbon blocking minority of at least four members (a qualified majority is deemed
  reached when fewer than four oppose): it is a disjunction. It matters only when three
  large members holding over 35% of the population oppose alone;
- the transitional option, until 31 March 2017, to ask for a vote under the Nice weights.

Population shares for the Lisbon rule: the Council's figures for 2016 (Annex III of its
Rules of Procedure as amended by Council Decision (EU, Euratom) 2015/2393, OJ L 332,
18.12.2015; Union population 508,940,955), in per cent with two decimals, as reported by
Agence Europe (Europe Daily Bulletin 11449, 9 December 2015). The Council updates them
every year; one year's figures serve every act from November 2014 (a simplification).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

MEMBER_STATES_1995 = ("at", "be", "de", "dk", "el", "es", "fi", "fr", "ie", "it", "lu", "nl",
                      "pt", "se", "uk")
"""The EU-15 (DEU III actor codes)."""
ACCESSION_2004 = ("cy", "cz", "ee", "hu", "lt", "lv", "mt", "pl", "si", "sk")
ACCESSION_2007 = ("bu", "ro")
ACCESSION_2013 = ("cr",)

VOTES_EU15 = {"de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8, "be": 5, "el": 5, "nl": 5,
              "pt": 5, "at": 4, "se": 4, "dk": 3, "ie": 3, "fi": 3, "lu": 2}
"""Council votes 1995 to April 2004 (total 87)."""
VOTES_EU25_2004 = {**VOTES_EU15, "pl": 8, "cz": 5, "hu": 5, "ee": 3, "lv": 3, "lt": 3,
                   "si": 3, "sk": 3, "cy": 2, "mt": 2}
"""Council votes 1 May to 31 October 2004 (total 124)."""
VOTES_NICE = {"de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14,
              "nl": 13, "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "bu": 10,
              "at": 10, "se": 10, "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7,
              "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4, "mt": 3}
"""Council votes under the Treaty of Nice, from 1 November 2004 (EU-25: 321; with
Bulgaria and Romania, EU-27: 345; with Croatia, EU-28: 352)."""
POPULATION_2016 = {"de": 15.93, "fr": 13.04, "uk": 12.73, "it": 12.07, "es": 9.12,
                   "pl": 7.47, "ro": 3.90, "nl": 3.37, "be": 2.21, "el": 2.13, "cz": 2.05,
                   "pt": 2.04, "hu": 1.94, "se": 1.92, "at": 1.69, "bu": 1.42, "dk": 1.11,
                   "fi": 1.08, "sk": 1.06, "ie": 0.91, "cr": 0.83, "lt": 0.57, "si": 0.41,
                   "lv": 0.39, "ee": 0.26, "cy": 0.17, "lu": 0.11, "mt": 0.08}
"""Share (%) of the Union's population, Council figures for 2016 (see the module docstring)."""


@dataclass(frozen=True)
class Period:
    """The Council's composition and qualified majority from `start` (until the next period)."""

    name: str
    start: dt.date
    members: tuple[str, ...]
    votes: str | None
    """The weight counted in votes (None: the Lisbon double majority)."""
    quota: int | None
    """Votes a qualified majority needs."""
    members_needed: int | None
    """Members a qualified majority needs on a Commission proposal (None: no condition)."""
    members_otherwise: int
    """Members a qualified majority needs when the act is not on a Commission proposal."""
    source: str


_EU25 = MEMBER_STATES_1995 + ACCESSION_2004
_EU27 = _EU25 + ACCESSION_2007
_EU28 = _EU27 + ACCESSION_2013
PERIODS: tuple[Period, ...] = (
    Period("eu15", dt.date(1995, 1, 1), MEMBER_STATES_1995, "votes-eu15", 62, None, 10,
           "Art. 205(2) EC, 1994 Act of Accession"),
    Period("eu25-2004", dt.date(2004, 5, 1), _EU25, "votes-eu25-2004", 88, None, 17,
           "2003 Act of Accession, Art. 26"),
    Period("eu25", dt.date(2004, 11, 1), _EU25, "votes-eu25", 232, 13, 17,
           "Treaty of Nice, Protocol on enlargement, Art. 3; 2003 Act of Accession, Art. 12"),
    Period("eu27", dt.date(2007, 1, 1), _EU27, "votes-eu27", 255, 14, 18,
           "2005 Act of Accession, Art. 22"),
    Period("eu28", dt.date(2013, 7, 1), _EU28, "votes-eu28", 260, 15, 19,
           "2012 Act of Accession, Art. 20"),
    Period("eu28-lisbon", dt.date(2014, 11, 1), _EU28, None, None, None, 21,
           "Art. 16(4) TEU, Art. 238(2)-(3) TFEU, Protocol No 36 Art. 3"),
)
END = dt.date(2020, 2, 1)
"""The United Kingdom left the Union: later acts are outside these tables."""
LISBON_MEMBERS_SHARE = 0.55
LISBON_POPULATION_SHARE = 0.65


def period_of(day: dt.date) -> Period | None:
    """The period whose rules applied on `day` (None before 1995 or from February 2020)."""
    if day < PERIODS[0].start or day >= END:
        return None
    return [p for p in PERIODS if p.start <= day][-1]


def member_key(period: Period) -> str:
    """The weight that is 1 for each member state of the period."""
    return "members-" + period.name.removesuffix("-2004").removesuffix("-lisbon")


def council_weights(actor: str) -> dict[str, float]:
    """Every named weight an actor has (0 where it is no member state of the period):
    votes per period, membership per period, and population share (`population-eu28`)."""
    weights: dict[str, float] = {}
    for period in PERIODS:
        member = actor in period.members
        weights[member_key(period)] = 1.0 if member else 0.0
        if period.votes is not None:
            table = {"eu15": VOTES_EU15, "eu25-2004": VOTES_EU25_2004}.get(period.name,
                                                                             VOTES_NICE)
            weights[period.votes] = float(table[actor]) if member else 0.0
    weights["population-eu28"] = POPULATION_2016.get(actor, 0.0)
    return weights


def council_rule(period: Period, voting: str, codecision: bool = False,
                 parliament: str | None = None) -> dict[str, Any]:
    """One act's decision rule as plain data (`accord.model.rule.IssueRule`).

    `voting` is `QMV` (on a Commission proposal), `QMV(10)` (not on a Commission
    proposal) or `Unan` (DEU's `counvte`). Unanimity: every member state of the period is
    required (abstentions do not prevent unanimity, Art. 238(4) TFEU, but DEU codes no
    abstentions). Under co-decision the Parliament must approve the act as well (Art. 294
    TFEU): with `codecision` and `parliament` (its party id), it is a required party.
    """
    required: list[str] = []
    thresholds: list[dict[str, Any]] = []
    members = member_key(period)
    if voting == "Unan":
        required = list(period.members)
        note = f"unanimity of the {len(period.members)} member states ({period.source})"
    elif voting in ("QMV", "QMV(10)"):
        on_proposal = voting == "QMV"
        if period.votes is None:
            share = LISBON_MEMBERS_SHARE if on_proposal else 0.72
            thresholds = [{"weight": members, "share": share},
                          {"weight": "population-eu28", "share": LISBON_POPULATION_SHARE}]
            note = (f"qualified majority: {share:.0%} of the member states and 65% of the "
                    f"population ({period.source})")
        else:
            thresholds = [{"weight": period.votes, "at_least": period.quota}]
            count = period.members_needed if on_proposal else period.members_otherwise
            if count is not None:
                thresholds.append({"weight": members, "at_least": count})
            total = sum(council_weights(m)[period.votes] for m in period.members)
            note = (f"qualified majority: {period.quota} of {total:g} votes"
                    + (f" cast by at least {count} members" if count else "")
                    + f" ({period.source})")
    else:
        raise ValueError(f"unknown Council voting rule {voting!r}; expected QMV, QMV(10) "
                         "or Unan")
    if codecision and parliament is not None:
        required.append(parliament)
        note += "; co-decision: the Parliament's approval is required"
    rule: dict[str, Any] = {"note": note}
    if required:
        rule["required"] = required
    if thresholds:
        rule["thresholds"] = thresholds
    return rule
