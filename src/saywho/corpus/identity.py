"""Who is who across a corpus: name forms cleaned, identity keys, and the merge of short forms.

An article speaker becomes a row of ``speakers`` under an identity *key*:

* a full name (two or more words once titles are dropped) is keyed by its normalised name,
  suffix kept: "Donald J. Trump" and "Donald Trump" are ``donald trump``, "Donald Trump Jr." is
  ``donald trump jr``: a father and son are two people, as are Bill and Hillary Clinton;
* a one-word name ("Clinton", "Mr. Obama", "President Obama") first joins the full name *that
  article* uses for someone it fits (``article_keys``); when the article gives none it is keyed
  by the word and the gender the article states (``clinton|f``), so that ``resolve`` can attach it
  to the dominant corpus person with that name and a compatible type and gender;
* an unnamed source ("a senior official") is its own row per article.

``resolve`` is a pure function over the rows, so the outcome does not depend on the order the
articles arrived in, and a user's curation (merges and splits) is applied on top of it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .schema import _TITLES, _fold, normalize_name

# A one-word name attaches to the dominant candidate only when it has this many times the
# quotes of the next one: "Clinton" in 2016 coverage is Hillary, not Bill; a tie is left alone.
DOMINANCE = 2.0
# Suffixes that tell two people apart (a father and his son); others (PhD, MP) are dropped.
IDENTITY_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Verbs of saying a headline puts after a name ("Obama Says", "Trump Slams"): never part of it.
SAYING_VERBS = frozenset("""
says said say tells told asks asked adds added warns warned claims claimed insists insisted explains
explained slams slammed blasts blasted urges urged vows vowed admits admitted denies denied writes wrote
tweets tweeted announces announced argues argued responds responded replies replied calls called
suggests suggested rips ripped hits reveals revealed defends defended praises praised accuses accused
hammers knocks mocks mocking attacks bashes pans
""".split())
# Words a name never holds: a form with one of them is a clause ("Trump Was ‘Mocking").
_CLAUSE_WORDS = frozenset("was is are were has had have will would can could should to that who".split())
_TAG = re.compile(r"<[^>]*>?|^[^<]*>")  # a tag, or the end of one cut off at the start (`">Sanders`)
_QUOTE_MARKS = re.compile(r"[\"“”‘«»]|(?<!\w)['’](?=\w)")
_POSSESSIVE_SHARD = re.compile(r"^\s*['’]s\b")
_INNER_POSSESSIVE = re.compile(r"\w['’]s\s+\S")
_EDGE_JUNK = " \t\n\"'“”‘’«».,;:!?()[]{}<>=/\\|-–—*#"
GENDER_CODES = {"female": "f", "male": "m", "unknown": "u"}


def _strip_markup(text: str) -> str:
    text = _TAG.sub(" ", html.unescape(text))
    return " ".join(text.split()).strip(_EDGE_JUNK)


def clean_name(name: str | None) -> str | None:
    """A name as written, without markup or a trailing verb of saying; None when what is left is
    no name form (a possessive shard, a clause, a quotation mark inside)."""
    if not name:
        return None
    if _POSSESSIVE_SHARD.match(name):
        return None
    text = _strip_markup(name)
    words = text.split()
    verbs = [i for i, w in enumerate(words) if i > 0 and _fold(w).strip(".,") in SAYING_VERBS]
    if verbs:
        words = words[:verbs[0]]  # "Obama Says", "Warren Hammers Wells Fargo CEO": a headline's name
    if not words or _fold(words[0]).strip(".,") in SAYING_VERBS:  # "Say Mexico": a headline clause
        return None
    text = " ".join(words).strip(_EDGE_JUNK.replace(".", ""))
    if not text or _QUOTE_MARKS.search(text) or _INNER_POSSESSIVE.search(text):
        return None
    if any(_fold(w) in _CLAUSE_WORDS for w in words):
        return None
    if not any(c.isalpha() for c in text):
        return None
    return text


def clean_descriptor(text: str | None) -> str | None:
    """A description ("the senator") without markup; None for a shard: a possessive ending of
    somebody else's name ("’s opponent"), a headline clause or a quotation cut in two."""
    if not text or _POSSESSIVE_SHARD.match(text):
        return None
    out = _strip_markup(text)
    words = out.split()
    if not words or _QUOTE_MARKS.search(out):
        return None
    if any(_fold(w).strip(".,") in SAYING_VERBS for w in words):
        return None
    if sum(w[:1].isupper() for w in words) >= 2 and any(_fold(w) in _CLAUSE_WORDS for w in words):
        return None  # Title Case with a verb: a headline, not a description
    return out


def clean_forms(items: Iterable[str], clean: Any = clean_name) -> list[str]:
    out: list[str] = []
    for item in items:
        value = clean(item)
        if value and value not in out:
            out.append(value)
    return out


@dataclass(frozen=True)
class NameParts:
    """A normalised name split into its core words and the suffix that is part of the identity."""

    norm: str
    core: tuple[str, ...]
    suffix: str

    @property
    def full(self) -> bool:
        return len(self.core) > 1


def name_parts(name: str) -> NameParts:
    norm = normalize_name(name)
    tokens = norm.split()
    suffix = ""
    if len(tokens) > 1 and tokens[-1] in IDENTITY_SUFFIXES:
        suffix = tokens.pop()
    return NameParts(norm, tuple(tokens), suffix)


def short_key(parts: NameParts, type_: str, gender: str) -> str:
    """The key of a one-word name: the word, its suffix, and the gender (people) or type (others)
    the article states, so each can be attached on its own evidence."""
    qualifier = GENDER_CODES.get(gender, "u") if type_ == "person" else "org"
    return f"{' '.join((*parts.core, parts.suffix)).strip()}|{qualifier}"


def unnamed_key(content_hash: str, local_id: str) -> str:
    return f"~{content_hash[:16]}:{local_id}"


def compatible_gender(a: str, b: str) -> bool:
    return a == "unknown" or b == "unknown" or a == b


@dataclass
class SpeakerKey:
    """Where one article speaker goes: its row key, display name, and the name forms it brings."""

    key: str
    named: bool
    name: str
    parts: NameParts | None
    aliases: list[str] = field(default_factory=list)


# Capitalised words a full name written in the text cannot start with (headline Title Case).
_NOT_FIRST_NAMES = frozenset("""
a an the and or but of in on at to for from with by as about after before over under into than
this that these those his her their our my its says said say tells told asks warns slams why how
what when where who while if as new more most mr mrs ms dr
""".split()) | SAYING_VERBS
_TITLE_WORDS = _TITLES | {"mr", "mrs", "ms", "dr"}


def text_full_names(text: str, surname: str) -> dict[str, str]:
    """The normalised full names ending in ``surname`` the article's text spells out ("Loretta
    Lynch" in a headline, "Rep. Stephen Lynch"), Jr. or Sr. included when written, each with its
    first spelling."""
    out: dict[str, str] = {}
    word = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.)"
    pattern = re.compile(rf"((?:{word} ){{1,3}})({re.escape(surname)})\b(,? (?:Jr|Sr)\b\.?)?")
    for m in pattern.finditer(text):
        words = m[1].split()
        # What precedes a title is no part of the name: "Secretary of State Mr. Kerry".
        titled = [i for i, w in enumerate(words) if _fold(w).strip(".") in _TITLE_WORDS]
        if titled:
            words = words[titled[-1] + 1:]
        while words and (_fold(words[0]).strip(".") in _NOT_FIRST_NAMES or _fold(words[0]).strip(".") in
                         _CLAUSE_WORDS):
            words = words[1:]
        if not words:
            continue
        written = " ".join([*words, m[2], (m[3] or "").strip(" ,")]).strip()
        parts = name_parts(written)
        if parts.full and _fold(parts.core[0]) not in _NOT_FIRST_NAMES:
            out.setdefault(parts.norm, written)
    return out


def article_keys(speakers: Iterable[Any], content_hash: str, text: str = "") -> dict[str, SpeakerKey]:
    """The row key of each speaker of one article (``Speaker`` objects), by its local id.

    A one-word person name joins the one full name in this article it is a first or last name
    of (with a compatible gender and the same suffix, "Trump Jr." never "Donald Trump"): a
    speaker's, else one the ``text`` spells out; two fitting full names ("Bill Clinton" and
    "Hillary Clinton") leave it to the corpus.
    """
    speakers = list(speakers)
    out: dict[str, SpeakerKey] = {}
    cleaned: dict[str, tuple[str | None, NameParts | None]] = {}
    for sp in speakers:
        name = clean_name(sp.name) if sp.named else None
        parts = name_parts(name) if name else None
        cleaned[sp.id] = (name, parts if parts and parts.core else None)
    fulls = [(sp, cleaned[sp.id][1]) for sp in speakers
             if cleaned[sp.id][1] is not None and cleaned[sp.id][1].full and sp.type == "person"]
    for sp in speakers:
        name, parts = cleaned[sp.id]
        aliases = clean_forms(sp.aliases)
        if name is None or parts is None:
            out[sp.id] = SpeakerKey(unnamed_key(content_hash, sp.id), False, (sp.name or "").strip() or "unnamed",
                                    None, aliases)
            continue
        if parts.full:
            out[sp.id] = SpeakerKey(parts.norm, True, name, parts, aliases)
            continue
        word = parts.core[0]
        fits = {fp.norm for other, fp in fulls
                if other.id != sp.id and fp is not None and sp.type == "person" and fp.suffix == parts.suffix
                and word in (fp.core[0], fp.core[-1]) and compatible_gender(sp.gender, other.gender)}
        if len(fits) == 1:
            norm = fits.pop()
            full_name, full_parts = next(cleaned[o.id] for o, fp in fulls if fp is not None and fp.norm == norm)
            out[sp.id] = SpeakerKey(norm, True, full_name or name, full_parts, [name, *aliases])
            continue
        written = {} if fits or sp.type != "person" or not text else {
            n: w for n, w in text_full_names(text, name.split()[-1].strip(".,’'")).items()
            if name_parts(n).suffix == parts.suffix and name_parts(n).core[-1] == word}
        if len(written) == 1:
            norm, spelling = written.popitem()
            out[sp.id] = SpeakerKey(norm, True, spelling, name_parts(norm), [name, *aliases])
        else:
            out[sp.id] = SpeakerKey(short_key(parts, sp.type, sp.gender), True, name, parts, aliases)
    return out


# --------------------------------------------------------------------------- type and gender

def verdict_type(counts: Mapping[str, int]) -> str:
    """The type most article speakers of this row were given (people first on a tie)."""
    order = ("person", "organisation", "group", "document", "unnamed")
    best = max(order, key=lambda t: (counts.get(t, 0), -order.index(t)))
    return best if counts.get(best, 0) > 0 else "person"


def verdict_gender(counts: Mapping[str, int]) -> str:
    """The gender articles state: one when every article stating one agrees, or three in four
    do; "unknown" when none states it or they disagree (a merge of two people, or an error)."""
    f, m = counts.get("female", 0), counts.get("male", 0)
    if f + m == 0:
        return "unknown"
    if f >= 3 * m:
        return "female"
    if m >= 3 * f:
        return "male"
    return "unknown"


def add_counts(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


# --------------------------------------------------------------------------- the corpus merge

@dataclass
class Row:
    """What ``resolve`` needs of one speakers row."""

    id: int
    key: str
    named: bool
    type_counts: dict[str, int]
    gender_counts: dict[str, int]
    quotes: int  # speech quotes pointing at this row itself

    @property
    def short(self) -> bool:
        return self.named and "|" in self.key

    def word(self) -> tuple[str, str, str]:
        """(word, suffix, qualifier) of a short key."""
        body, _, qualifier = self.key.partition("|")
        words = body.split()
        suffix = words[-1] if len(words) > 1 and words[-1] in IDENTITY_SUFFIXES else ""
        return words[0], suffix, qualifier


@dataclass
class Curation:
    """Merges (key -> key) and splits the user asked for, by identity key."""

    merges: list[tuple[str, str]] = field(default_factory=list)
    apart: set[tuple[str, str]] = field(default_factory=set)   # never merge the first into the second
    alone: set[str] = field(default_factory=set)               # never merge into anything


def resolve(rows: list[Row], curation: Curation | None = None) -> dict[int, int]:
    """The corpus speaker (a row id) of every row: itself, the full name a short form is attached
    to, or what the user merged it into. Deterministic whatever order the rows came in."""
    curation = curation or Curation()
    by_key = {r.key: r for r in rows}
    canonical = {r.id: r.id for r in rows}
    fulls: dict[str, list[Row]] = {}  # word -> full person rows it is the first or last name of
    for r in rows:
        if r.named and not r.short and verdict_type(r.type_counts) == "person":
            parts = name_parts(r.key)
            for word in {parts.core[0], parts.core[-1]}:
                fulls.setdefault(word, []).append(r)
    for r in rows:
        if not r.short or r.key in curation.alone:
            continue
        word, suffix, qualifier = r.word()
        if qualifier == "org":
            continue  # an organisation's one-word name is its name ("Politifact"), never a surname
        gender = {"f": "female", "m": "male"}.get(qualifier, "unknown")
        candidates = []
        for f in fulls.get(word, []):
            parts = name_parts(f.key)
            if parts.suffix != suffix or (r.key, f.key) in curation.apart:
                continue
            if not compatible_gender(gender, verdict_gender(f.gender_counts)):
                continue
            # Surnames first: news refers to people by surname, to a first name rarely.
            candidates.append((parts.core[-1] == word, f.quotes + 1, f.key, f))
        if not candidates:
            continue
        surname = [c for c in candidates if c[0]]
        pool = sorted(surname or candidates, key=lambda c: (-c[1], c[2]))
        if len(pool) == 1 or pool[0][1] >= DOMINANCE * pool[1][1]:
            canonical[r.id] = pool[0][3].id
    for source, target in curation.merges:
        a, b = by_key.get(source), by_key.get(target)
        if a is None or b is None:
            continue  # a name no article brought yet: kept in the file for later runs
        dest = canonical[b.id]
        old = canonical[a.id]
        for rid, cid in canonical.items():
            if cid == old or rid == a.id:
                canonical[rid] = dest
    return canonical


def rows_from_db(records: Iterable[Mapping[str, Any]]) -> list[Row]:
    import json

    return [Row(int(r["id"]), r["key"], bool(r["named"]), json.loads(r["type_counts"]),
                json.loads(r["gender_counts"]), int(r["own_quotes"])) for r in records]
