"""When two names are the same name: one module for the three uses, which differ on purpose.

* **Within one article** (speaker resolution): ``article_key`` lowercases, drops leading titles
  (``lexicon.TITLES``: "Dr", "Gov.", "spokeswoman") and a possessive, and keeps everything else.
  One article spells a name one way, so accents and initials are kept: "Donald J. Trump" and
  "Donald Trump" are joined by ``surname_forms`` (a short form joins the one full name holding it),
  not by the key.
* **Across a corpus** (the store): outlets spell one person many ways, so the corpus key (in the
  store's ``normalize_name``) also folds accents, joins initials and drops suffixes and a longer
  title list; it sees names only, never the article.
* **Scoring against gold** (``saywho eval``): ``names_agree`` is lenient by design, since the gold
  gives a canonical name and the system the name it resolved: one shared last content word (titles,
  pronouns and role words like "spokesman" are not content), or, for descriptions, the same head noun.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import FEMALE_TITLES, MALE_TITLES, NAME_PARTICLES, TITLES

# --------------------------------------------------------------------------- within one article

# Titles without their stop: "Dr." and "Dr" are the same title.
TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES)
_MALE_TITLE_WORDS = frozenset(t.rstrip(".") for t in MALE_TITLES)
_FEMALE_TITLE_WORDS = frozenset(t.rstrip(".") for t in FEMALE_TITLES)
_NAME_PREFIXES = ("al-", "el-", "bin-", "abu-")
# Honorifics a surname follows directly: after one, no further word is taken for a title.
HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "messrs", "mmes"})
# Offices, never surnames: "Mr. President", "Madam Secretary" name no one.
OFFICE_WORDS = frozenset({"president", "vice", "secretary", "chairman", "chairwoman", "speaker", "mayor", "governor",
                          "senator", "minister", "prime", "ambassador", "chancellor", "director", "commissioner"})


_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"['’]s$")
_EDGE_MARKS = ",.'’"


def name_tokens(name: str) -> list[str]:
    """The words of a name, leading titles and a possessive left out: "Dr. Okafor's" -> ["Okafor"],
    "Foreign Minister Jean-Marc Ayrault" -> ["Jean-Marc", "Ayrault"], "Secretary of State Mike
    Pompeo" -> ["Mike", "Pompeo"]."""
    return list(_name_tokens(name))


@lru_cache(maxsize=65_536)  # the resolver asks for the same few names again and again
def _name_tokens(name: str) -> tuple[str, ...]:
    words = [w.strip(_EDGE_MARKS) for w in _SPACES.split(name) if w.strip(_EDGE_MARKS)]
    while words and words[0].lower().rstrip(".") in TITLE_WORDS:
        honorific = words[0].lower().rstrip(".") in HONORIFIC_WORDS
        words = words[1:]
        if honorific and words and words[0].lower().rstrip(".") not in OFFICE_WORDS:
            break  # "Mr. King", "Dr. Judge": what follows an honorific is the name (not "Mr. President")
        if len(words) > 2 and words[0] == "of" and words[1][:1].isupper():
            words = words[2:]  # "Secretary of State ..."
    if len(words) > 2 and words[0][:1].isupper() and words[1].lower().rstrip(".") in TITLE_WORDS:
        return _name_tokens(" ".join(words[1:]))  # "Foreign Minister ...", "Defense Secretary ..."
    if words and words[-1].lower() in ("'s", "’s"):
        words = words[:-1]
    return tuple(_POSSESSIVE_END.sub("", w) for w in words)


def article_key(name: str) -> str:
    """The key under which one article's mentions of a name meet."""
    return " ".join(w.lower() for w in name_tokens(name))


def surname_forms(tokens: list[str]) -> frozenset[str]:
    """The short forms a full name is referred to by: each token and its unprefixed form
    ("Faisal al-Nouri" -> faisal, al-nouri, nouri); particles ("abu", "bin") alone are none."""
    return _surname_forms(tuple(tokens))


@lru_cache(maxsize=65_536)
def _surname_forms(tokens: tuple[str, ...]) -> frozenset[str]:
    forms = set()
    for w in tokens:
        low = w.lower()
        if low in NAME_PARTICLES:
            continue
        forms.add(low)
        for prefix in _NAME_PREFIXES:
            if low.startswith(prefix):
                forms.add(low[len(prefix):])
    return frozenset(forms)


def gender_from_title(name: str) -> str | None:
    """"m" or "f" when the name opens with a gendered honorific ("Mr", "Mrs", "Sheikh") or ends in
    a son's suffix ("James Kennedy Jr."), else None: evidence in the name's words, never a first name."""
    words = name.split()
    first = words[0].lower().rstrip(".") if words else ""
    if first in _MALE_TITLE_WORDS or len(words) > 1 and words[-1].rstrip(".,").lower() in ("jr", "sr"):
        return "m"
    if first in _FEMALE_TITLE_WORDS:
        return "f"
    return None


# --------------------------------------------------------------------------- scoring against gold

# Words that say nothing about who the speaker is: a shared "the" or "President" is no match.
SCORING_STOP_WORDS = frozenset("""
a an the and or of in on at to for from with by as about into after before over under
he she it they we i you him her them us me his hers its their our my your who whom whose
which that this these those there here is are was were be been being has have had do does did
said says say told added according not no
mr mrs ms miss dr sir prof professor sen senator rep representative gov governor president
vice secretary minister prime chief general gen col lt sgt capt officer official officials
spokesman spokeswoman spokesperson unnamed
""".split())
# A description's head noun ends before its first modifier clause or phrase.
HEAD_BOUNDARIES = frozenset("who whom whose which that of in at from with for on by and , ( ;".split())


def content_tokens(name: str | None) -> list[str]:
    """A name's lowercase words that can identify someone (stop words and titles left out)."""
    return [t for t in re.findall(r"[^\W_]+", (name or "").lower()) if t not in SCORING_STOP_WORDS]


# Words that cannot head a description; role nouns ("spokesperson", "officials") can.
_NOT_HEADS = SCORING_STOP_WORDS - frozenset("""
secretary minister chief general officer official officials spokesman spokeswoman spokesperson
president governor senator representative professor
""".split())


def description_head(name: str | None) -> str | None:
    """The head noun of a description: the last word before its first modifier ("a CBP
    spokesperson" and "the spokesperson" share "spokesperson")."""
    words = re.findall(r"[^\W_]+|[,(;]", (name or "").lower())
    head = None
    for w in words:
        if w in HEAD_BOUNDARIES and head is not None:
            break
        if w not in _NOT_HEADS and w not in HEAD_BOUNDARIES:
            head = w
    return head


_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.I)


def names_agree(canonical: str, predicted: str | None) -> bool:
    """A gold canonical name and a predicted speaker name are the same person or group."""
    if predicted and _ARTICLES.sub("", canonical.strip()).lower() == _ARTICLES.sub("", predicted.strip()).lower():
        return True  # "officials" and "officials", "the US government" and "US government"
    gold, pred = content_tokens(canonical), content_tokens(predicted)
    if not gold or not pred:
        head = description_head(canonical)
        return head is not None and head == description_head(predicted)
    if pred[-1] in gold or gold[-1] in pred:
        return True
    head = description_head(canonical)
    return head is not None and head == description_head(predicted)


def capitalized_tokens(text: str | None) -> set[str]:
    """The capitalized content words of a mention, split at hyphens and apostrophes."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text or "")
    out = set()
    for w in words:
        w = re.sub(r"[’']s$", "", w)
        if w[:1].isupper() and w.lower() not in SCORING_STOP_WORDS:
            out.update(p for p in re.split(r"[-’']", w.lower()) if p and p not in SCORING_STOP_WORDS)
    return out
