"""The pipeline's attribute ruler, compiled to a lookup: the same POS, morphology and lemma
exceptions, at a fraction of the cost.

spaCy's attribute ruler runs a token Matcher with every pattern (179 in the small English
pipeline: the tag map, pronoun morphology, "gonna"-style lemmas) over every token; that took
about a sixth of saywho's time per article. Nearly all of its patterns test one token's tag,
lowercase form, dependency label and whether it is a space, so their combined effect on a token
is a function of those four values: computed once per distinct combination and cached. The
few patterns over two or more tokens are checked only where their first token matches.

Only the pattern language the shipped English pipelines use is compiled (exact values and IN,
NOT_IN and REGEX over TAG, LOWER, DEP, IS_SPACE, ORTH and TEXT; no quantifiers). A pipeline
whose ruler uses anything else keeps its ruler (``compile_ruler`` returns None). The test suite
checks the lookup against the ruler token by token on real articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

RULER = "attribute_ruler"
# Components that may run before the lookup is applied (it is applied to the finished Doc):
# they read none of what the ruler sets. The lemmatizer is left out of saywho's runs (nlp.py).
READ_NO_TAGS = frozenset({"ner", "lemmatizer"})
# Token attributes a pattern may test, read from the Doc's arrays, and the attributes it may set.
_TESTED = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3, "ORTH": 4, "TEXT": 4}
_SETTABLE = ("POS", "MORPH", "LEMMA", "TAG", "DEP")
MAX_CACHED_KEYS = 200_000

Predicate = Callable[[tuple[str, str, str, bool, str]], bool]
TokenKey = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class _Rule:
    order: int  # the pattern's position: later rules win, as in the ruler
    tests: tuple[Predicate, ...]  # one per token of the pattern
    index: int  # which token of the match gets the attributes
    attrs: tuple[tuple[str, str], ...]


def _value_test(slot: int, spec: Any) -> Predicate | None:
    if isinstance(spec, dict):
        if set(spec) - {"IN", "NOT_IN", "REGEX"} or len(spec) != 1:
            return None
        (op, arg), = spec.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda values: values[slot] in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda values: values[slot] not in banned
        pattern = re.compile(arg)
        return lambda values: isinstance(values[slot], str) and pattern.search(values[slot]) is not None
    return lambda values: values[slot] == spec


def _token_test(token_pattern: dict[str, Any]) -> Predicate | None:
    tests = []
    for attr, spec in token_pattern.items():
        if attr not in _TESTED:
            return None
        test = _value_test(_TESTED[attr], spec)
        if test is None:
            return None
        tests.append(test)
    return lambda values: all(test(values) for test in tests)


def _rules(patterns: list[dict[str, Any]]) -> list[_Rule] | None:
    rules = []
    for order, entry in enumerate(patterns):
        attrs = entry["attrs"]
        if set(attrs) - set(_SETTABLE):
            return None
        for token_patterns in entry["patterns"]:
            tests = [_token_test(t) for t in token_patterns]
            if not tests or any(t is None for t in tests):
                return None
            index = entry.get("index", 0)
            index = index if index >= 0 else len(tests) + index
            if not 0 <= index < len(tests):
                return None
            rules.append(_Rule(order, tuple(t for t in tests if t is not None), index,
                               tuple((k, str(v)) for k, v in attrs.items())))
    return rules


def _mentioned(patterns: list[dict[str, Any]], attrs: tuple[str, ...]) -> tuple[frozenset[str], list[re.Pattern[str]]]:
    """The literal values and the regular expressions the patterns test these attributes against."""
    literals: set[str] = set()
    regexes = []
    for entry in patterns:
        for token_patterns in entry["patterns"]:
            for token_pattern in token_patterns:
                for attr, spec in token_pattern.items():
                    if attr not in attrs:
                        continue
                    if isinstance(spec, dict):
                        for op, arg in spec.items():
                            if op == "REGEX":
                                regexes.append(re.compile(arg))
                            else:
                                literals.update(arg)
                    else:
                        literals.add(spec)
    return frozenset(literals), regexes


class _WordClasses:
    """Maps a word to itself when some pattern could tell it apart from other words (a value it
    names, a regular expression it matches), else to one shared stand-in: the rules' effect then
    depends on a few hundred keys, not on every word of the vocabulary."""

    STAND_IN = 0  # a hash no string has: the empty string's, which no pattern here names

    def __init__(self, literals: frozenset[str], regexes: list[re.Pattern[str]]) -> None:
        self.literals = literals
        self.regexes = regexes
        self.active = bool(literals or regexes)  # False: every word is the stand-in
        self._classes: dict[int, int] = {}

    def __call__(self, word: int, strings: Any) -> int:
        found = self._classes.get(word)
        if found is None:
            text = strings[word]
            keep = text in self.literals or any(r.search(text) for r in self.regexes)
            if len(self._classes) > MAX_CACHED_KEYS:
                self._classes.clear()
            found = self._classes[word] = word if keep else self.STAND_IN
        return found


Fired = tuple[tuple[int, tuple[tuple[str, str], ...]], ...]  # (rule order, attributes set), in order


class AttributeLookup:
    """Applies a ruler's patterns to a parsed Doc, as the ruler would."""

    def __init__(self, rules: list[_Rule], lowers: _WordClasses, orths: _WordClasses) -> None:
        self.single = [r for r in rules if len(r.tests) == 1]
        self.multi = [r for r in rules if len(r.tests) > 1]
        self.lowers = lowers
        self.orths = orths
        # One entry per distinct token key: the single-token rules that fire on it, and a bit per
        # multi-token rule position the token satisfies. _pos/_morph hold each entry's resulting
        # POS and MORPH (0: left as it is), as arrays once the table stops growing.
        self._ids: dict[TokenKey, int] = {}
        self._fired: list[Fired] = []
        self._bits: list[int] = []
        self._pos: list[int] = []
        self._morph: list[int] = []
        self._other: list[bool] = []  # sets a lemma, a tag or a dependency
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def _entry(self, key: TokenKey, doc: Doc) -> int:
        strings = doc.vocab.strings
        values = (strings[key[0]] if key[0] else "", strings[key[1]] if key[1] else "",
                  strings[key[2]] if key[2] else "", bool(key[3]), strings[key[4]] if key[4] else "")
        fired = tuple((r.order, r.attrs) for r in self.single if r.tests[0](values))
        bits, bit = 0, 1
        for rule in self.multi:
            for test in rule.tests:
                if test(values):
                    bits |= bit
                bit <<= 1
        if len(self._ids) > MAX_CACHED_KEYS:
            self._ids.clear()
        pos, morph = self._resolve(fired, doc)
        self._ids[key] = len(self._fired)
        self._fired.append(fired)
        self._bits.append(bits)
        self._pos.append(pos)
        self._morph.append(morph)
        self._other.append(any(name not in ("POS", "MORPH") for _, attrs in fired for name, _ in attrs))
        self._arrays = None
        return self._ids[key]

    @staticmethod
    def _resolve(fired: Fired, doc: Doc) -> tuple[int, int]:
        """The POS and MORPH the rules leave (0 for one they do not set); later rules win."""
        pos = morph = 0
        for _, attrs in fired:
            for name, value in attrs:
                if name == "POS":
                    pos = doc.vocab.strings.add(value)
                elif name == "MORPH":
                    morph = doc.vocab.morphology.add(value)
        return pos, morph

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        lowers, orths, ids = self.lowers, self.orths, self._ids
        classes = lowers._classes
        entries = []
        for tag, low, dep, space, word in doc.to_array([TAG, LOWER, DEP, IS_SPACE, ORTH]).tolist():
            # the common case inlined: the word's class and the key's entry both seen before
            key = (tag, classes[low] if low in classes else lowers(low, strings), dep, space,
                   orths(word, strings) if orths.active else 0)
            entries.append(ids[key] if key in ids else self._entry(key, doc))
        if self._arrays is None:
            self._arrays = (np.array(self._pos, dtype="uint64"), np.array(self._morph, dtype="uint64"),
                            np.array(self._other), np.array(self._bits, dtype="uint64"))
        found = np.array(entries)
        current = doc.to_array([POS, MORPH])
        pos, morph = self._arrays[0][found], self._arrays[1][found]
        current[:, 0] = np.where(pos != 0, pos, current[:, 0])
        current[:, 1] = np.where(morph != 0, morph, current[:, 1])
        # Tokens where a multi-token rule fires, or a rule sets a lemma, tag or dependency: rare
        # enough to replay in Python, all of that token's rules in order.
        replay = self._multi_matches(found) if self.multi else {}
        for i in np.nonzero(self._arrays[2][found])[0].tolist():
            replay.setdefault(i, [])
        ordered = {i: sorted(self._fired[entries[i]] + tuple(extra), key=lambda r: r[0]) for i, extra in replay.items()}
        for i, fired in ordered.items():
            p, m = self._resolve(tuple(fired), doc)
            current[i, 0] = p or current[i, 0]
            current[i, 1] = m or current[i, 1]
        doc.from_array([POS, MORPH], current)
        for i, fired in ordered.items():
            token = doc[i]
            for _, attrs in fired:
                for name, value in attrs:
                    if name == "LEMMA":
                        token.lemma_ = value
                    elif name == "TAG":
                        token.tag_ = value
                    elif name == "DEP":
                        token.dep_ = value
        return doc

    def _multi_matches(self, found: np.ndarray) -> dict[int, list[tuple[int, tuple[tuple[str, str], ...]]]]:
        """Token index -> the multi-token rules that set its attributes."""
        assert self._arrays is not None
        token_bits = self._arrays[3][found]
        matches: dict[int, list[tuple[int, tuple[tuple[str, str], ...]]]] = {}
        bit = 1
        for rule in self.multi:
            bits = [bit << k for k in range(len(rule.tests))]
            bit <<= len(rule.tests)
            for i in np.nonzero(token_bits & np.uint64(bits[0]))[0].tolist():
                if i + len(bits) <= len(token_bits) and all(
                    int(token_bits[i + k]) & b for k, b in enumerate(bits)
                ):
                    matches.setdefault(i + rule.index, []).append((rule.order, rule.attrs))
        return matches


def compile_ruler(nlp: Language) -> AttributeLookup | None:
    """The pipeline's attribute ruler as a lookup, or None when it has none or uses patterns the
    lookup does not compile (then the ruler itself runs)."""
    if RULER not in nlp.pipe_names:
        return None
    after = nlp.pipe_names[nlp.pipe_names.index(RULER) + 1 :]
    if set(after) - READ_NO_TAGS:
        return None  # a later component may read what the ruler sets: it must run in its place
    ruler = nlp.get_pipe(RULER)
    patterns = getattr(ruler, "patterns", None)
    if not isinstance(patterns, list):
        return None
    rules = _rules(patterns)
    if rules is None:
        return None
    lowers = _WordClasses(*_mentioned(patterns, ("LOWER",)))
    orths = _WordClasses(*_mentioned(patterns, ("ORTH", "TEXT")))
    if any(r.search("") for r in lowers.regexes + orths.regexes) or "" in lowers.literals | orths.literals:
        return None  # the stand-in would be told apart from the words it stands for
    return AttributeLookup(rules, lowers, orths)
