"""Dependency-tree helpers over spaCy tokens: subjects, edges of phrases and clauses, sentence
shape. Grammar only; what counts as an attribution is decided in ``attribution/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import denotes_people

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")
DASHES = ("-", "—", "–", "--")


def has_verb(first: Token, last: Token) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in first.doc[first.i : last.i + 1])


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or the subject of the verb it is chained to (said ..., adding ...)."""
    seen = 0
    first = verb
    while verb is not None and seen < 4:
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and not c.is_punct]
        if subjects:
            # Two subjects is a misparse ("CLEVELAND - When ..., Trump's advisers were ..."):
            # the one next to the verb is the real one more often than a dateline or a fronted phrase.
            # But a relative clause that runs into the second ("A spokesperson who did not wish to be
            # named because of agency policy said") is the first one's, and so is the verb.
            nearest = min(subjects, key=lambda s: abs(s.i - verb.i))
            for s in subjects:
                if s is not nearest and any(c.dep_ == "relcl" and c.right_edge.i + 1 == nearest.left_edge.i
                                            for c in s.children):
                    return s
            return nearest
        if verb.i == first.i and verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
            return None  # "Asked about the deal, Smith said ...": Smith was asked; the asker is not named
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "began by marveling at ...": the one who began
            seen += 1
            continue
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.tag_ == "VBG":
            return verb.head  # "a letter warning that ...", "Smith, speaking on Monday, ..."
        break
    if first.dep_ == "compound" and first.head.pos_ == "PROPN" and first.head.i > first.i:
        return first.head  # "Said Ellis: ..." parsed as a name with "Said" in it
    return subject_after(first, ("PROPN",))


def subject_after(verb: Token, pos: tuple[str, ...]) -> Token | None:
    """"«...,» said Pierre Lambert" parsed with the mark as subject: the name after the verb speaks."""
    return next((c for c in verb.rights if c.pos_ in pos and c.dep_ in (
        "dobj", "npadvmod", "attr", "dep", "appos", "nsubj")), None)


def mention_edges(head: Token) -> tuple[Token, Token]:
    """A noun phrase's edges: the head's subtree, without trailing punctuation or a clause
    that merely continues the sentence."""
    left, right = head.left_edge, head.right_edge
    doc = head.doc
    while right.i > head.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    while left.i < head.i and (left.is_punct or left.is_space or left.pos_ == "VERB"):
        left = doc[left.i + 1]
    return left, right


def clause_edges(clause: Token) -> tuple[Token, Token]:
    """A complement clause without its complementizer and outer punctuation."""
    doc = clause.doc
    left, right = clause.left_edge, clause.right_edge
    while left.i < right.i and (left.dep_ == "mark" and left.lower_ in ("that", "whether", "if")
                                or left.is_punct or left.is_space):
        left = doc[left.i + 1]
    while right.i > left.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    return left, right


def trim_punct(first: Token, last: Token) -> tuple[Token, Token]:
    """A span without punctuation or whitespace at either edge."""
    doc = first.doc
    while first.i < last.i and (first.is_punct or first.is_space):
        first = doc[first.i + 1]
    while last.i > first.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return first, last


def is_parenthetical(verb: Token) -> bool:
    """", he said," or ", said the official,": the verb sits between commas mid-sentence."""
    doc = verb.doc
    sent = verb.sent
    left = verb.i - 1
    while left >= sent.start and doc[left].dep_ in SUBJECT_DEPS + ("det", "compound", "amod", "poss"):
        left -= 1
    right = verb.i + 1
    while right < sent.end and doc[right].head.i == verb.i and doc[right].dep_ in SUBJECT_DEPS + ("dobj",):
        right = doc[right].right_edge.i + 1
    return (left >= sent.start and doc[left].text == "," and right < sent.end - 1
            and doc[right].text == ",")


def sentence_end(token: Token) -> Token:
    """The last word of the token's sentence (closing punctuation left out)."""
    sent = token.sent
    last = sent[-1]
    doc = token.doc
    while last.i > token.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return last


def after_dateline(left: Token, right: Token) -> Token:
    """The first token after an all-capitals dateline and its dash within ``left..right``, or ``left``."""
    doc = left.doc
    dash = next((t for t in doc[left.i : right.i] if t.text in DASHES), None)
    if dash is None:
        return left
    before = [t for t in doc[left.i : dash.i] if not t.is_punct]
    if not before or not all(t.is_upper or not t.is_alpha for t in before) or not any(t.is_alpha for t in before):
        return left
    return doc[dash.i + 1]


def past_dateline(left: Token, right: Token, head: Token) -> tuple[Token, Token]:
    """"CLEVELAND - Donald Trump's advisers were ...": the parse folds the dateline into the
    subject; the phrase starts after the dash, headed by what the dash's right side hangs on."""
    start = after_dateline(left, right)
    if start is left or head.i >= start.i:
        return start, head
    doc = left.doc
    inside = [t for t in doc[start.i : right.i + 1] if not (start.i <= t.head.i <= right.i) or t.head.i == t.i]
    return start, next((t for t in inside if t.pos_ in ("NOUN", "PROPN")), head)


def antecedent(relative: Token) -> Token:
    """The noun a relative pronoun stands for: the relative clause's head, or failing a clean
    parse, the nearest noun before it outside any parenthesis."""
    personal = relative.lower_ in ("who", "whom")
    if relative.head.dep_ == "relcl" and relative.head.head.pos_ in ("NOUN", "PROPN", "PRON"):
        noun = relative.head.head  # "those who might seek": the pronoun, not a noun before it
        if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
            return noun.head  # "John Bentel, a tech staffer who told ...": the one the role is of
        if not (personal and noun.pos_ == "NOUN" and not denotes_people(noun.lower_.rstrip("s"))):
            return noun
        # "listeners to his radio program who said": "who" is someone; look further back
    doc = relative.doc
    depth = 0
    for i in range(relative.i - 1, max(-1, relative.i - 40), -1):
        t = doc[i]
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            depth -= 1
        elif depth == 0 and t.pos_ in ("PROPN", "NOUN"):
            if personal and t.pos_ == "NOUN" and not denotes_people(t.lower_.rstrip("s")):
                continue
            return t
    return relative


def cut_clauses(head: Token, right: Token) -> Token:
    """Drop a participial or relative clause hung on a name after a comma ("said X, listing ...")."""
    doc = head.doc
    for child in head.rights:
        if child.dep_ in ("acl", "relcl", "advcl", "conj", "cc") and child.left_edge.i > head.i:
            prev = doc[child.left_edge.i - 1]
            if prev.text in ",(" or child.dep_ in ("conj", "cc"):
                end = prev.i - 1 if prev.text in ",(" else child.left_edge.i - 1
                return doc[max(head.i, min(end, right.i))]
    return right
