"""Reading GUM (``../shared/data/gum``): text and coreference gold from its CoNLL-U files.

Each document's text is rebuilt from FORM and ``SpaceAfter=No``: sentences of one paragraph
joined by a space, paragraphs (``# newpar``) by a blank line, so that ingest's layout sees the
paragraphs the corpus marks. Multi-word tokens ("participants’") are written once, from their
range line; empty nodes (``26.1``) carry no text and are skipped.

Every coreference mention (MISC ``Entity=``, brackets over words) becomes a ``GumMention``
with its character span, entity id and the entity's type, and a *form* read from the gold tree
of the file: a third-person ``pronoun``, a ``description`` (the/this/that + a common-noun
head), a ``name`` (a proper-noun head) or ``other``. An entity is *named* when it carries a
Wikipedia ``identity`` or has a proper-name mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

THIRD_PERSON_PRONOUNS: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), "he/she"),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), "they"),
    **dict.fromkeys(("it", "its", "itself"), "it"),
}
DEFINITE = frozenset({"the", "this", "that"})
SPLITS = ("train", "dev", "test", "test2")
# One bracket of the Entity attribute: an opener "(id-etype-...", closed at once when ")"
# follows, or a closer "id)".
_BRACKET = re.compile(r"\((\d+)([^()]*)(\))?|(\d+)\)")


@dataclass(frozen=True)
class GumMention:
    start: int
    end: int
    text: str
    entity: str  # the entity id, unique within the document
    etype: str  # person, organization, place, object, abstract, ...
    form: str  # pronoun | description | name | other
    head: int  # character offset of the head word (gold tree)
    sentence: int  # index of its sentence in the document

    @property
    def pronoun_kind(self) -> str | None:
        """he/she, they or it for a third-person pronoun; None for any other mention."""
        return THIRD_PERSON_PRONOUNS.get(self.text.lower()) if self.form == "pronoun" else None


@dataclass
class GumEntity:
    id: str
    etype: str
    identity: str | None = None  # the Wikipedia title, spaces for underscores
    named: bool = False
    names: list[str] = field(default_factory=list)  # texts of its proper-name mentions


@dataclass
class GumDocument:
    id: str
    genre: str
    text: str
    mentions: list[GumMention]
    entities: dict[str, GumEntity]
    sentences: list[tuple[int, int]]  # character spans


@dataclass
class _Word:
    start: int
    end: int
    upos: str
    head: int  # 1-based word id in the sentence, 0 for the root
    entity: str


def _words_of_sentence(lines: list[str], parts: list[str], pos: int) -> tuple[dict[int, _Word], int]:
    """The sentence's words (by id) with their offsets, appending the text to ``parts``."""
    words: dict[int, _Word] = {}
    covered_until = 0  # last word id covered by a multi-word token already written
    pending_range: tuple[int, int, int] | None = None  # (first, last, start offset)
    for line in lines:
        cols = line.split("\t")
        if len(cols) != 10 or "." in cols[0]:
            continue
        misc = cols[9]
        space = "SpaceAfter=No" not in misc.split("|")
        if "-" in cols[0]:
            first, last = (int(x) for x in cols[0].split("-"))
            pending_range = (first, last, pos)
            parts.append(cols[1] + (" " if space else ""))
            pos += len(cols[1])
            covered_until = last
            range_end = pos
            pos += 1 if space else 0
            continue
        wid = int(cols[0])
        entity = next((a[len("Entity="):] for a in misc.split("|") if a.startswith("Entity=")), "")
        head = int(cols[6]) if cols[6].isdigit() else 0
        if pending_range is not None and pending_range[0] <= wid <= covered_until:
            words[wid] = _Word(pending_range[2], range_end, cols[3], head, entity)
            continue
        parts.append(cols[1] + (" " if space else ""))
        words[wid] = _Word(pos, pos + len(cols[1]), cols[3], head, entity)
        pos += len(cols[1]) + (1 if space else 0)
    return words, pos


def _head_word(words: dict[int, _Word], ids: list[int]) -> int:
    """The mention's head in the gold tree: the first word whose head is outside the mention."""
    inside = set(ids)
    return next((i for i in ids if words[i].head not in inside), ids[0])


def _form(words: dict[int, _Word], ids: list[int], text: str, doc_text: str) -> str:
    head = words[_head_word(words, ids)]
    if len(ids) == 1 and head.upos == "PRON" and text.lower() in THIRD_PERSON_PRONOUNS:
        return "pronoun"
    if head.upos == "PROPN":
        return "name"
    first = words[ids[0]]
    if head.upos == "NOUN" and doc_text[first.start : first.end].lower() in DEFINITE and len(ids) > 1:
        return "description"
    return "other"


def _parse_document(doc_id: str, genre: str, blocks: list[tuple[bool, list[str]]]) -> GumDocument:
    parts: list[str] = []
    pos = 0
    sentences: list[tuple[int, int]] = []
    raw: list[tuple[int, dict[int, _Word], list[int], str, str]] = []  # sentence, words, ids, id, opener
    for n, (newpar, lines) in enumerate(blocks):
        if n and parts:
            sep = "\n\n" if newpar else " "
            parts[-1] = parts[-1].rstrip(" ") + sep
            pos = sum(len(p) for p in parts)
        start = pos
        words, pos = _words_of_sentence(lines, parts, pos)
        end = pos - (1 if parts and parts[-1].endswith(" ") else 0)
        sentences.append((start, end))
        open_: dict[str, list[tuple[list[int], str]]] = {}
        for wid in sorted(words):
            for stack in open_.values():  # the word belongs to every mention still open
                for ids, _ in stack:
                    ids.append(wid)
            for m in _BRACKET.finditer(words[wid].entity):
                if m.group(1) is not None:
                    if m.group(3):  # opened and closed on this word
                        raw.append((n, words, [wid], m.group(1), m.group(2)))
                    else:
                        open_.setdefault(m.group(1), []).append(([wid], m.group(2)))
                else:
                    stack = open_.get(m.group(4), [])
                    if stack:
                        ids, fields = stack.pop()
                        raw.append((n, words, ids, m.group(4), fields))
    text = "".join(parts).rstrip(" ")
    entities: dict[str, GumEntity] = {}
    mentions: list[GumMention] = []
    for sent, words, ids, eid, fields in raw:
        ids = sorted(set(ids))
        if not ids:
            continue
        values = fields.lstrip("-").split("-")
        etype = values[0] if values and values[0] else "other"
        entity = entities.setdefault(eid, GumEntity(eid, etype))
        if len(values) >= 7 and values[6]:
            entity.identity = unquote(values[6]).replace("_", " ")
            entity.named = True
        s, e = words[ids[0]].start, words[ids[-1]].end
        form = _form(words, ids, text[s:e], text)
        if form == "name":
            entity.named = True
            entity.names.append(text[s:e])
        head = words[_head_word(words, ids)].start
        mentions.append(GumMention(s, e, text[s:e], eid, entity.etype, form, head, sent))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return GumDocument(doc_id, genre, text, mentions, entities, sentences)


def read_gum(path: str | Path) -> list[GumDocument]:
    """Every document of one GUM CoNLL-U file (one document a file in the shared copy)."""
    docs: list[GumDocument] = []
    doc_id, genre = "", ""
    blocks: list[tuple[bool, list[str]]] = []
    lines: list[str] = []
    newpar = False

    def flush_sentence() -> None:
        nonlocal lines, newpar
        if lines:
            blocks.append((newpar, lines))
        lines, newpar = [], False

    for line in Path(path).read_text("utf-8").splitlines():
        if line.startswith("# newdoc id"):
            flush_sentence()
            if blocks:
                docs.append(_parse_document(doc_id, genre, blocks))
            doc_id, genre, blocks = line.split("=", 1)[1].strip(), "", []
        elif line.startswith("# meta::genre"):
            genre = line.split("=", 1)[1].strip()
        elif line.strip() == "# newpar" or line.startswith("# newpar "):
            newpar = True
        elif line and not line.startswith("#"):
            lines.append(line)
        elif not line:
            flush_sentence()
    flush_sentence()
    if blocks:
        docs.append(_parse_document(doc_id, genre, blocks))
    return docs


def read_splits(folder: str | Path) -> dict[str, set[str]]:
    """The document ids of each split in ``splits.md``; train is every listed train document."""
    out: dict[str, set[str]] = {s: set() for s in SPLITS}
    current = None
    for line in (Path(folder) / "splits.md").read_text("utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif current in out and line.strip().startswith("* "):
            out[current].add(line.strip()[2:].strip())
    return out


def split_files(folder: str | Path, split: str) -> list[Path]:
    """The CoNLL-U files of one split. Train is everything not in dev, test or test2 (splits.md)."""
    splits = read_splits(folder)
    held_out = splits["dev"] | splits["test"] | splits["test2"]
    files = sorted(Path(folder).glob("*.conllu"))
    if split == "train":
        return [f for f in files if f.stem not in held_out]
    if split not in splits:
        raise ValueError(f"unknown GUM split {split!r}: one of {', '.join(SPLITS)}")
    return [f for f in files if f.stem in splits[split]]
