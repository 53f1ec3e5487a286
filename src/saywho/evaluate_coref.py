"""Scoring saywho's resolver against GUM's coreference gold (``saywho eval ../shared/data/gum``).

Every gold mention of a document is handed to ``speakers.resolve_mentions`` in text order, as a
speaker mention would be. Scored are the mentions whose gold entity is *named* (a Wikipedia
identity or a proper-name mention, ``saywho.gum``):

* third-person pronouns of people (``he/she``, ``they``, ``it``); ``they`` and ``it`` of
  organisations too, in rows of their own;
* definite descriptions ("the company", "the professor") of people and of organisations.

A mention is right when the entity it is resolved to is the gold entity's: one of the resolved
entity's other mentions overlaps a proper-name mention of the gold entity (and is no gold
mention of another entity: "Eastman's study" is not Eastman), or the resolved entity is named
and its name or an alias agrees (``names.names_agree``) with one of the gold entity's names or
its Wikipedia title. Unresolved counts as wrong. Counts are summed over documents, per genre
group: news, interview and all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .gum import GumDocument, GumMention, read_gum, split_files
from .model import Span
from .names import names_agree

if TYPE_CHECKING:
    from .pipeline import Extractor
    from .speakers import Entity

# (row, description) in report order; the two aggregate rows are the targets.
ROWS: tuple[tuple[str, str], ...] = (
    ("pronoun he/she", "he/him/his/she/her of a person"),
    ("pronoun they", "they/them/their of a person"),
    ("pronoun it", "it/its of a person"),
    ("pronouns: people", "every third-person pronoun of a person"),
    ("pronoun they (org)", "they/them/their of an organisation"),
    ("pronoun it (org)", "it/its of an organisation"),
    ("description person", "the/this/that + noun of a person"),
    ("description org", "the/this/that + noun of an organisation"),
    ("descriptions", "definite descriptions of people and organisations"),
)
GROUPS = ("news", "interview", "all")


def rows_of(mention: GumMention, doc: GumDocument) -> list[str]:
    """The report rows a gold mention counts in (none when it is not scored)."""
    entity = doc.entities[mention.entity]
    if not entity.named:
        return []
    kind = mention.pronoun_kind
    if kind is not None:
        if entity.etype == "person":
            return [f"pronoun {kind}", "pronouns: people"]
        if entity.etype == "organization" and kind in ("they", "it"):
            return [f"pronoun {kind} (org)"]
        return []
    if mention.form == "description" and entity.etype in ("person", "organization"):
        return ["description person" if entity.etype == "person" else "description org", "descriptions"]
    return []


def is_right(mention: GumMention, resolved: Entity | None, doc: GumDocument) -> bool:
    """Is the resolved entity the gold entity of ``mention`` (module docstring)?"""
    if resolved is None:
        return False
    gold = doc.entities[mention.entity]
    names = [m for m in doc.mentions if m.entity == mention.entity and m.form == "name"]
    others = {(m.start, m.end) for m in doc.mentions if m.entity != mention.entity}
    for span in resolved.mentions:
        if (span.start, span.end) == (mention.start, mention.end) or (span.start, span.end) in others:
            continue
        if any(span.start < n.end and n.start < span.end for n in names):
            return True
    if not resolved.named:
        return False
    labels = [resolved.name, *resolved.aliases]
    golds = [*gold.names, *([gold.identity] if gold.identity else [])]
    return any(names_agree(g, label) for g in golds for label in labels)


def _zeros() -> dict[str, int]:
    return {r: 0 for r, _ in ROWS}


@dataclass
class CorefCounts:
    scored: dict[str, int] = field(default_factory=_zeros)
    right: dict[str, int] = field(default_factory=_zeros)
    documents: int = 0

    def add(self, other: CorefCounts) -> None:
        self.documents += other.documents
        for r, _ in ROWS:
            self.scored[r] += other.scored[r]
            self.right[r] += other.right[r]

    def metrics(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "rows": {r: {"scored": self.scored[r], "right": self.right[r],
                         "accuracy": self.right[r] / self.scored[r] if self.scored[r] else None} for r, _ in ROWS},
        }


def score_document(doc: GumDocument, resolved: list[Entity | None]) -> CorefCounts:
    """Counts for one document; ``resolved[i]`` is the entity ``doc.mentions[i]`` resolved to."""
    counts = CorefCounts(documents=1)
    for mention, entity in zip(doc.mentions, resolved, strict=True):
        rows = rows_of(mention, doc)
        if not rows:
            continue
        right = is_right(mention, entity, doc)
        for r in rows:
            counts.scored[r] += 1
            counts.right[r] += right
    return counts


def resolve_document(extractor: Extractor, doc: GumDocument, ranker: bool = False) -> list[Entity | None]:
    """saywho's resolution of every gold mention of the document, over its own parse of the text."""
    from .ingest import ingest
    from .speakers import resolve_mentions

    parsed = extractor.parse(ingest(doc.text, "text"))
    return resolve_mentions(parsed, [Span(m.start, m.end, m.text) for m in doc.mentions], ranker=ranker)


def gum_documents(paths: Iterable[Path], split: str) -> list[GumDocument]:
    """The documents of GUM folders (their ``split``) and of single CoNLL-U files, in order."""
    docs: list[GumDocument] = []
    for path in paths:
        files = split_files(path, split) if path.is_dir() else [path]
        for f in files:
            docs.extend(read_gum(f))
    return docs


def is_gum(path: Path) -> bool:
    return path.suffix == ".conllu" or path.is_dir() and (path / "splits.md").exists()


def evaluate_gum(extractor: Extractor, docs: list[GumDocument], ranker: bool = False,
                 advance: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The report: metrics per genre group (news, interview, all)."""
    groups = {g: CorefCounts() for g in GROUPS}
    for doc in docs:
        counts = score_document(doc, resolve_document(extractor, doc, ranker))
        groups["all"].add(counts)
        if doc.genre in groups:
            groups[doc.genre].add(counts)
        if advance is not None:
            advance(1)
    return {g: c.metrics() for g, c in groups.items()}
