"""A user's corrections to corpus identity, and the duplicates worth a look.

The curation file is a CSV next to the database (``corpus.db`` -> ``corpus.curation.csv``) with
the columns ``action,speaker,target,note``: ``merge A B`` makes every row of A part of B's
corpus speaker; ``split A B`` keeps A out of B (undoing an automatic or earlier merge); ``split
A`` with no target keeps A on its own. Speakers are named by identity key (``hillary clinton``,
``clinton|f``: see ``saywho.corpus.identity``), which is stable when the database is rebuilt,
unlike row ids. Lines apply in order, so a later line overrides an earlier one; the file is read
by every ``consolidate`` (the end of every run, ``--retry-errors`` included) and written by
``saywho speakers merge|split``. A user may edit it by hand.

``suggest_merges`` lists likely duplicates, OpenRefine style: names that collide once their
words are sorted (key collision), the same surname with a compatible first name (nearest
neighbour on the first name), one name inside another, and short forms left unattached because
several people fit; each with the evidence to decide on.
"""

from __future__ import annotations

import csv
import difflib
from pathlib import Path
from typing import Any

from .identity import Curation, clean_name, compatible_gender, name_parts

CURATION_COLUMNS = ("action", "speaker", "target", "note")
ACTIONS = ("merge", "split")


def curation_file(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(f"{path.stem}.curation.csv")


def read_actions(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        rows = []
        for row in csv.DictReader(fh):
            action = (row.get("action") or "").strip().lower()
            speaker = (row.get("speaker") or "").strip()
            if action in ACTIONS and speaker:
                rows.append({"action": action, "speaker": speaker, "target": (row.get("target") or "").strip(),
                             "note": (row.get("note") or "").strip()})
        return rows


def load_curation(path: Path) -> Curation:
    """The file's lines folded in order into merges and splits."""
    cur = Curation()
    for row in read_actions(path):
        a, b = row["speaker"], row["target"]
        if row["action"] == "merge" and b:
            cur.merges = [m for m in cur.merges if m[0] != a]
            cur.merges.append((a, b))
            cur.apart.discard((a, b))
            cur.alone.discard(a)
        elif row["action"] == "split":
            if b:
                cur.merges = [m for m in cur.merges if m != (a, b)]
                cur.apart.add((a, b))
            else:
                cur.merges = [m for m in cur.merges if m[0] != a]
                cur.alone.add(a)
    return cur


def append_action(path: Path, action: str, speaker: str, target: str = "", note: str = "") -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown curation action {action!r}; use merge or split")
    new = not path.is_file() or path.stat().st_size == 0
    with open(path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(CURATION_COLUMNS)
        writer.writerow([action, speaker, target, note])


def speaker_keys(conn: Any, ref: str) -> list[str]:
    """The identity keys a user means by ``ref``: a row id (the corpus speaker and every row
    merged into it), an identity key as written in the curation file, or a name (every row of
    that normalised name: "Clinton" is ``clinton|f``, ``clinton|u``...)."""
    ref = ref.strip()
    if ref.isdecimal():
        rows = conn.execute(
            """SELECT key FROM speakers WHERE id = ? OR merged_into = ? ORDER BY merged_into IS NOT NULL, id""",
            (int(ref), int(ref)),
        ).fetchall()
        return [r[0] for r in rows]
    if conn.execute("SELECT 1 FROM speakers WHERE key = ?", (ref,)).fetchone():
        return [ref]
    norm = name_parts(clean_name(ref) or ref).norm
    rows = conn.execute("SELECT key FROM speakers WHERE norm_name = ? AND named = 1 ORDER BY id", (norm,)).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- suggestions

def _first_names_fit(a: str, b: str) -> tuple[bool, str]:
    if a == b:
        return True, "same first name"
    if a[0] != b[0]:
        return False, ""
    if len(a) == 1 or len(b) == 1:
        return True, "first initial"
    if a.startswith(b) or b.startswith(a):
        return True, "one first name shortens the other"
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.8:
        return True, "first names differ by a letter or two"
    return False, ""


def suggest_merges(store: Any, limit: int = 50, min_quotes: int = 0) -> list[dict[str, Any]]:
    """Possible duplicates among corpus speakers, most quoted first, each with ``reason`` and
    both sides' ``id``, ``key``, ``name``, ``type``, ``gender``, ``quote_count``, and for an
    unattached short form the people it could be (``candidates``). Pairs the curation file keeps
    apart are left out."""
    conn = store.conn
    path = store.curation_path
    cur = load_curation(path) if path is not None else Curation()
    rows = [dict(r) for r in conn.execute(
        """SELECT id, key, name, norm_name, type, gender, quote_count FROM speakers
           WHERE merged_into IS NULL AND named = 1 AND quote_count >= ?""", (min_quotes,))]
    people = [r for r in rows if r["type"] == "person"]
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()

    def add(a: dict[str, Any], b: dict[str, Any], reason: str, **extra: Any) -> None:
        # Suggest merging a short form into a full name, else the less quoted into the more quoted.
        if ("|" in b["key"], -b["quote_count"], b["id"]) > ("|" in a["key"], -a["quote_count"], a["id"]):
            a, b = b, a
        pair = (a["id"], b["id"])
        if pair in seen or (a["key"], b["key"]) in cur.apart or a["key"] in cur.alone:
            return
        seen.add(pair)
        out.append({"speaker": _side(a), "target": _side(b), "reason": reason, **extra})

    fingerprints: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["type"] != "person":
            r["_parts"] = name_parts(r["key"].partition("|")[0])
            fingerprints.setdefault(" ".join(sorted(set(r["_parts"].core)) + [r["_parts"].suffix]), []).append(r)
    by_last: dict[tuple[str, str], list[dict[str, Any]]] = {}
    fulls = []
    for r in people:
        parts = name_parts(r["key"].partition("|")[0])
        r["_parts"] = parts
        fingerprints.setdefault(" ".join(sorted(set(parts.core)) + [parts.suffix]), []).append(r)
        if parts.full:
            fulls.append(r)
            by_last.setdefault((parts.core[-1], parts.suffix), []).append(r)
    for group in fingerprints.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                add(a, b, "the same words in another order, or the same name under two types or genders")
    for group in by_last.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                fits, why = _first_names_fit(a["_parts"].core[0], b["_parts"].core[0])
                same_length = len(a["_parts"].core) == len(b["_parts"].core)
                if fits and same_length and compatible_gender(a["gender"], b["gender"]):
                    add(a, b, f"same surname, {why}")
    index: dict[str, list[dict[str, Any]]] = {}
    for r in fulls:
        for w in set(r["_parts"].core):
            index.setdefault(w, []).append(r)
    for r in fulls:
        core = set(r["_parts"].core)
        for other in index.get(r["_parts"].core[-1], []):
            if other is not r and len(other["_parts"].core) > len(core) and core < set(other["_parts"].core) \
                    and other["_parts"].suffix == r["_parts"].suffix:
                add(other, r, "one name holds the other (a title or a word of a headline before it?)")
    for r in people:
        if r["_parts"].full or "|" not in r["key"]:
            continue
        word = r["_parts"].core[0]
        cands = [f for f in index.get(word, []) if f["_parts"].suffix == r["_parts"].suffix]
        if len(cands) > 1:
            best = max(cands, key=lambda f: (f["quote_count"], -f["id"]))
            add(r, best, "a short form several people fit; left on its own",
                candidates=[_side(f) for f in sorted(cands, key=lambda f: -f["quote_count"])[:5]])
    out.sort(key=lambda s: (-(s["speaker"]["quote_count"] + s["target"]["quote_count"]), s["speaker"]["id"]))
    return out[:limit]


def _side(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r[k] for k in ("id", "key", "name", "type", "gender", "quote_count")}

