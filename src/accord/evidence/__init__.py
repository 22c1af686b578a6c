"""Reading news articles into attributed claims (docs/evidence.md).

`read_document` turns a text, Markdown, HTML or annotated YAML file into a `Document`;
`extract_claims` finds its claims (speaker, actor, outlets, certainty, kind) by rules kept
as data per language in `lexicon/`; `group_claims` joins the same claim across outlets.
"""

from accord.evidence.claims import CERTAINTIES, KINDS, Claim, extract_claims
from accord.evidence.documents import LANGUAGES, Document, read_document
from accord.evidence.grouping import ClaimGroup, Contradiction, contradictions, group_claims

__all__ = ["CERTAINTIES", "KINDS", "LANGUAGES", "Claim", "ClaimGroup", "Contradiction", "Document",
           "contradictions",
           "extract_claims", "group_claims", "read_document"]
