"""Reading news articles into attributed claims (docs/evidence.md).

`read_document` turns a text, Markdown, HTML or annotated YAML file into a `Document`;
`extract_claims` finds its claims (speaker, actor, outlets, certainty, kind) by rules kept
as data per language in `lexicon/`; `group_claims` joins the same claim across outlets.

It needs the optional `evidence` extra (spaCy, simplemma, trafilatura); importing it
without them is a `UsageError` that says what to install.
"""

from accord.extras import require

require("evidence", "accord.evidence (reading articles)")

from accord.evidence.claims import CERTAINTIES, KINDS, Claim, extract_claims  # noqa: E402
from accord.evidence.documents import LANGUAGES, Document, read_document  # noqa: E402
from accord.evidence.grouping import ClaimGroup, Contradiction, contradictions, group_claims  # noqa: E402

__all__ = ["CERTAINTIES", "KINDS", "LANGUAGES", "Claim", "ClaimGroup", "Contradiction", "Document",
           "contradictions",
           "extract_claims", "group_claims", "read_document"]
