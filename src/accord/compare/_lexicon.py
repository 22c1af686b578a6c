"""Word lists of the comparison, English and Italian (data only, no logic).

`CONCEPTS` maps a language-neutral concept of peace texts to word stems in each language,
so that "cessate il fuoco" and "ceasefire" meet without a translation model. Stems are
regular expressions over lower-case, accent-folded text and match at the start of a word
(`elezion` finds elezione, elezioni). Adding a language means adding its stems here.
"""

from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    # sovereignty, territory, borders
    "sovereignty": ("sovereign(?!(?:ty)? (?:assets|funds?|debt|wealth|reserves))",
                    "(?<!beni )(?<!attivi )(?<!fondi )(?<!riserve )sovran", "independen", "indipenden"),
    "territory": ("territor", "land\\b", "regions?\\b", "oblast", "border", "terre\\b",
                  "region[ei]\\b", "confin", "frontier", "annex"),
    "recognition": ("recogni", "riconosc", "riconoscim"),
    "withdrawal": ("withdr", "pull(s|ed)? (back|out)", "retreat", "leaves?\\b", "ritir",
                   "ripieg", "lascia", "abbandon"),
    "buffer-zone": ("buffer", "demilitari", "cuscinett", "smilitarizz", "demilitarizz"),
    "contact-line": ("contact line", "line of contact", "front ?lines?\\b",
                     "linea di contatto", "linea del fronte"),
    "freeze": ("froze", "freez", "congel"),
    "concession": ("cede", "ceding", "cession", "give up", "gives up", "giving up",
                   "relinquish", "surrender", "ceder", "cession"),
    "by-force": ("by force", "military means", "con la forza", "mezzi militari"),
    # security, alliances, military
    "aggression": ("(?<!non-)(?<!non )aggress", "(?<!not to )invad", "invasion", "attack",
                   "attacc"),
    "non-aggression": ("non-aggression", "non.aggressione", "not to (?:invade|attack)",
                       "non (?:invadere|attaccare)"),
    "security": ("securit", "sicurezz"),
    "guarantee": ("guarant", "assuranc", "garanzi", "garant"),
    "armed-forces": ("armed forces", "army", "armies", "troops?\\b", "military", "personnel",
                     "soldier", "forze armate", "esercit", "trupp", "militar", "soldat",
                     "effettivi"),
    "cap": ("cap\\b", "capped", "ceiling", "limit", "tetto", "limit", "massimo", "superare"),
    "membership": ("membership", "member\\b", "join(?!t)", "accession", "admit", "admission",
                   "enlarg", "adesion", "aderir", "entrar", "ingresso", "ammess", "ammission",
                   "allargament", "membr"),
    "alliance": ("allian", "allean", "non-aligned", "neutral", "nato\\b(?! (?:a|il|nel) )"),
    "constitution": ("constitution", "costituzion"),
    "stationing": ("station", "deploy", "bases?\\b", "contingent", "stanzi", "schier",
                   "dispieg", "basi\\b", "contingent"),
    "foreign-forces": ("foreign (?:\\([^)]{0,24}\\) )?(?:troops|forces|military)",
                       "reassuranc", "rassicurazion", "(?:multinational|"
                       "stabili[sz]ation|peacekeeping) force", "peacekeep",
                       "(?:european|western|nato|british|french) (?:troops|soldiers)",
                       "boots on the ground", "coalition of the willing",
                       "(?:military )?instructors", "military trainers", "istruttori",
                       "send (?:troops|soldiers|forces) (?:to|into) ukraine",
                       "(?:inviare|mandare|schierare) (?:truppe|soldati|militari|istruttori)",
                       "(?:truppe|soldati|militari) (?:europe|stranier|occidental|della nato)",
                       "forz[ae] (?:stranier|multinazional|di rassicurazione|di pace|"
                       "di interposizione|europe)", "caschi blu", "coalizione dei volenterosi"),
    "aircraft": ("fighter", "aircraft", "jets?\\b", "air force", "caccia\\b", "aere",
                 "aviazion"),
    "nuclear": ("nuclear", "nucleare", "nucleari", "atomic", "atomic"),
    "arms-control": ("arms.control", "non-proliferation", "proliferat", "controllo degli "
                     "armament", "armament", "disarm"),
    # economy, sanctions, assets
    "reconstruction": ("reconstruct", "rebuil", "recovery", "ricostru", "ripresa"),
    "development": ("develop", "invest", "svilupp", "investiment"),
    "economy": ("econom", "world economy", "econom"),
    "market": ("market", "trade", "preferential", "mercat", "commerc", "preferenzial"),
    "sanctions": ("sanction", "sanzion"),
    "relief": ("lift", "eas(e|ed|ing)\\b", "relief", "revoc", "allent", "rimozion",
               "togli", "sollev"),
    "assets": ("assets?\\b", "funds?\\b", "reserves", "beni\\b", "attivi", "fondi",
               "riserv(?!at)", "confiscat", "expropriat", "confisc", "espropri"),
    "compensation": ("compensat", "reparation", "damage", "risarc", "compens", "indenni",
                     "riparazion", "danni", "pay for the (?:destruction|war|reconstruction)",
                     "pagare (?:per )?(?:la distruzione|la ricostruzione)"),

    "profit": ("profit", "profitt", "utili\\b", "guadagn"),
    "energy": ("energy", "gas\\b", "pipeline", "electric", "power\\b", "energi",
               "gasdott", "elettric"),
    "data-ai": ("data cent", "artificial intelligence", "\\bai\\b", "tech", "intelligenza "
                "artificiale", "tecnolog"),
    "resources": ("mining", "minerals?", "rare earth", "natural resource", "miner", "terre "
                  "rare", "risorse"),
    # institutions, agreements, monitoring
    "working-group": ("working group", "task force", "committee", "commission", "council",
                      "board", "gruppo di lavoro", "comitat", "commission", "consiglio"),
    "law": ("\\blaws?\\b", "legislat", "legal", "legge", "giuridic", "legal"),
    "treaty": ("treat", "pact", "agreement", "accord", "memorandum", "trattat", "patto",
               "accordo", "intesa"),
    "monitoring": ("monitor", "supervis", "overs[ei]", "verif", "enforc", "sorveglian",
                   "vigil", "verific", "controll", "observer", "osservator", "\\bosce\\b",
                   "\\bosc[ae]\\b"),
    "binding": ("binding", "vincolant"),
    "violation": ("violat", "breach", "violaz", "viola"),
    "dialogue": ("dialog", "talks", "negotiat", "colloqui", "negozia", "trattativ"),
    "escalation": ("escalat", "de-escalat", "distension"),
    "cooperation": ("cooperat", "collaborat", "cooperaz", "collaboraz"),
    "referendum": ("referendum",),
    "justice": ("tribunal", "court", "justice", "accountab", "tribunal", "corte\\b",
                "giustizia"),
    # people, humanitarian, politics
    "ceasefire": ("ceasefire", "cease-fire", "truce", "stop the fighting", "end of hostilit",
                  "cessate il fuoco", "tregua"),
    "war": ("\\bwar\\b", "wartime", "conflict", "hostilit", "guerra", "conflitt", "ostilit"),
    "humanitarian": ("humanitarian", "\\baid\\b", "umanitar", "aiuti"),
    "prisoners": ("prisoner", "\\bpows?\\b", "detainee", "detained", "hostage", "captive",
                  "prigionier", "detenut", "ostagg"),
    "exchange": ("exchang", "swap", "scambi"),
    "children": ("child", "minors", "bambin", "minori", "figli"),
    "family": ("famil", "reunif", "famigli", "ricongiung"),
    "civilians": ("civilian", "civil[ei]\\b"),
    "victims": ("victim", "vittim"),
    "deportation": ("deport",),
    "remains": ("remains", "bodies", "salme", "resti\\b", "corpi"),
    "elections": ("elect", "ballot", "\\bvot", "elezion", "urne"),
    "amnesty": ("amnest", "pardon", "amnisti", "perdon"),
    "claims": ("claims", "complaint", "waiv", "rivendicaz", "ricors", "rinunci", "pretes"),
    "martial-law": ("martial law", "legge marziale"),
    "tolerance": ("toleran", "racism", "discriminat", "tolleran", "razzism", "discrimina"),
    "religion": ("religio", "church", "chiesa", "orthodox", "ortodoss"),
    "language": ("languag", "linguist", "russian-speak", "speakers", "lingu", "russofon"),
    "education": ("educat", "school", "istruzion", "scuol", "educaz"),
    "media": ("\\bmedia\\b", "press\\b(?! (?:conference|briefing|office|release|secretary))",
              "(?<!sala )(?<!conferenza )(?<!comunicato )(?<!ufficio )stampa\\b"),
    "nazism": ("nazi",),
    "river": ("river", "fium"),
    "grain": ("grain", "food", "grano", "cereal", "aliment"),
    "shipping": ("shipping", "navigat", "passage", "transit", "navigaz", "transit",
                 "passaggio", "trasport"),
    "statehood": ("statehood", "self-determination", "autodetermin", "stato palestin"),
}


NEGATIONS = (r"\bno\b", r"\bnot\b", r"n't\b", r"\bnever\b", r"\bneither\b", r"\bnor\b",
             r"\bwithout\b", r"\bnone\b", r"\bcannot\b", r"\bnon\b(?!-)", r"\bsenza\b",
             r"\bmai\b", r"\bnessun")
"""Words that turn a statement round (English `non-` prefixes are words, not negations)."""

CONTRASTS = (r"instead of", r"rather than", r"in place of", r"no longer", r"not reproduced",
             r"replac", r"invece d", r"anziche", r"al posto d", r"non piu", r"sostitu")
"""Phrases by which a revision says it says something else."""

DELETIONS = (r"\bdeleted\b", r"\bdropped\b", r"\bstruck\b", r"\bremoved\b", r"\bscrapped\b",
             r"\bomitted\b", r"\beliminated\b", r"\beliminat[oaie]\b",
             r"\bsoppress[oaie]\b", r"\bcancellat[oaie]\b", r"\bstralciat[oaie]\b",
             r"\brimoss[oaie]\b", r"\bcassat[oaie]\b", r"\btolt[oaie]\b")
"""Past participles by which a revision reports a deleted text."""

ALTERNATIVE = r"\s+(?:or|o|oppure)\s+\w+"
"""'removed or raised': a deletion offered with an alternative is only a change."""

BRACKETS = (r"bracket", r"parentes", r"in sospeso")
"""A text left open (in square brackets) for later decision."""

RELOCATIONS = (r"moved (?:out|to|into|from)", r"separate tracks?", r"transferred to",
               r"relocated", r"spostat[oaie]", r"trasferit[oaie]", r"binari[oa] separat")
"""A text taken out of this document to be handled elsewhere."""

CHANGE_VERBS = (r"strengthened", r"weakened", r"raised", r"lowered", r"increased",
                r"reduced", r"softened", r"hardened", r"tightened", r"loosened", r"narrowed",
                r"widened", r"broadened", r"expanded", r"amended", r"revised", r"rewritten",
                r"reworded", r"changed", r"modified", r"diluted", r"rafforzat", r"indebolit",
                r"aumentat", r"ridott", r"ammorbidit", r"inasprit", r"ampliat", r"ristrett",
                r"modificat", r"rivist", r"riscritt", r"cambiat", r"diluit")
"""Past participles by which a revision reports that a point was changed."""

QUALIFIERS: dict[str, tuple[str, ...]] = {
    "permanent": (r"\bpermanent", ),
    "temporary": (r"\btemporar", r"\btemporane"),
    "peacetime": (r"\bpeacetime\b", r"\bin peace\b", r"tempo di pace"),
    "only": (r"\bonly\b", r"\bsolely\b", r"\bexclusively\b", r"\bsoltanto\b",
             r"\besclusivamente\b", r"\bsolo\b"),
    "immediately": (r"\bimmediate", r"\bat once\b", r"\bimmediat", r"\bsubito\b"),
    "after": (r"\bafter\b", r"\bdopo\b"),
    "before": (r"\bbefore\b", r"\bprior to\b", r"\bprima d"),
    "until": (r"\buntil\b", r"\bfino a\b", r"\bfinche\b"),
    "unless": (r"\bunless\b", r"\ba meno che\b"),
    "conditional": (r"\bconditional", r"\bprovided\b", r"\bpurche\b", r"\bcondizionat"),
    "gradual": (r"\bgradual", r"\bin stages\b", r"\bgraduale", r"\bper fasi\b"),
    "asap": (r"as soon as possible", r"il prima possibile", r"al piu presto"),
    "at-least": (r"\bat least\b", r"\balmeno\b"),
    "at-most": (r"\bat most\b", r"\bal massimo\b", r"\bal piu\b"),
    "automatic": (r"\bautomatic", r"\bautomatic"),
}
"""Words that change a provision's scope or timing (a revision that adds or drops one
changes the point even when every name and figure stays)."""
