"""Properties that hold for any input text: no crash, every span slices the text, every id
resolves, the JSON output validates against the schema and round-trips.

The texts are assembled from fragments a scraped news page really contains (wire sentences,
cues, every kind of quotation mark, unbalanced marks, blank lines) mixed with arbitrary
unicode, so the quote finder, the parser and the resolver all meet broken input."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import saywho
from saywho import Article, InputError

Checker = Callable[[Article], None]

SCHEMA_PATH = Path(saywho.__file__).resolve().parent / "article.schema.json"

SENTENCES = [
    "The council approved the budget on Tuesday night after a long debate.",
    "Police said two men had been arrested in connection with the robbery.",
    "Shares in the company fell 12 percent in early trading.",
    "The minister, Aisha Bello, told reporters the talks would resume on Monday.",
    "According to local officials, at least 40 homes were destroyed.",
    "Dr Samuel Okoro, who leads the research team, said the results were encouraging.",
    "The bridge, he said, would reopen in the spring.",
    "Okoro added that more funding was needed.",
    "A spokeswoman for the airline declined to comment.",
    "Residents said they had been warned days in advance.",
    "Abu Yusuf, also known as the Engineer, was arrested in March.",
    "Flood waters rose overnight, says regional fire chief",
    "By Laura Chen in Nairobi",
    "Skip to main content",
    "Read More »",
    "Firefighters at the scene on Friday (AFP)",
    "- Maria Gonzalez, nurse",
    "She said the report was “deeply flawed”.",
    "We will not give up,",
    "said Mr Tanaka.",
    "he said.",
    "she told the BBC.",
    "the company said in a statement.",
]
MARKS = ["“", "”", "‘", "’", '"', "'", "«", "»", "„", "‹", "›", "「", "」", "—", "-"]
SEPARATORS = ["", " ", "\n", "\n\n", "\n \n", "\r\n", "\t", "   "]

# Any printable character, but not control characters: those make the input look binary,
# which is a deliberate InputError tested in test_bad_input.py.
UNICODE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd"), max_size=30
)
FRAGMENT = st.one_of(
    st.sampled_from(SENTENCES), st.sampled_from(MARKS), st.sampled_from(SEPARATORS), UNICODE,
    st.builds(lambda m, s: m + s, st.sampled_from(MARKS), st.sampled_from(SENTENCES)),
    st.builds(lambda s, m: s + m, st.sampled_from(SENTENCES), st.sampled_from(MARKS)),
)


@st.composite
def articles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(FRAGMENT, min_size=0, max_size=25))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


@functools.cache
def validator() -> jsonschema.protocols.Validator:
    """The schema's validator (a function, not a fixture: Hypothesis would print its repr)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def extract_or_empty(extractor: saywho.Extractor, source: str | bytes) -> Article | None:
    """Extract; only an input with nothing but whitespace may be refused."""
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    if not text.strip():
        with pytest.raises(InputError):
            extractor(source, "text")
        return None
    return extractor(source, "text")


COMMON = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@COMMON
@given(text=articles())
def test_generated_text_gives_a_consistent_article(
    extractor: saywho.Extractor, consistent: Checker, text: str
) -> None:
    article = extract_or_empty(extractor, text)
    if article is None:
        return
    assert article.text == text  # text input is kept exactly, so offsets index the caller's string
    consistent(article)
    data = article.to_dict()
    validator().validate(data)
    assert Article.from_dict(data).to_dict() == data
    # The JSON text itself round-trips too (what the CLI and the web API emit).
    assert Article.from_dict(json.loads(json.dumps(data))).to_dict() == data


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles(), bom=st.booleans())
def test_generated_bytes_decode_and_stay_consistent(
    extractor: saywho.Extractor, consistent: Checker, text: str,
    bom: bool,
) -> None:
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    article = extract_or_empty(extractor, data)
    if article is None:
        return
    consistent(article)
    assert "encoding" not in article.metadata  # UTF-8 is the default, not worth a warning
    validator().validate(article.to_dict())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sentences=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8),
    opener=st.sampled_from(["“", '"', "«", "‘", "„"]),
    at=st.integers(min_value=0, max_value=7),
)
def test_an_unclosed_mark_never_swallows_later_paragraphs(
    extractor: saywho.Extractor, consistent: Checker, sentences: list[str], opener: str, at: int
) -> None:
    """A mark that never closes ends at its paragraph (or at the next paragraph that
    reopens a quotation), so it never runs through plain paragraphs after it."""
    at = min(at, len(sentences) - 1)
    paragraphs = list(sentences)
    paragraphs[at] = opener + paragraphs[at]
    text = "\n\n".join(paragraphs) + "\n"
    article = extractor(text, "text")
    consistent(article)
    plain_breaks = [i for i in range(len(text)) if text.startswith("\n\n", i) and text[i + 2 : i + 3] not in (
        "“", '"', "«", "‘", "„", "'")]
    for q in article.quotes:
        assert not any(q.start < b < q.end for b in plain_breaks), f"{q.text!r} runs past a paragraph"


def test_extraction_is_deterministic(extractor: saywho.Extractor) -> None:
    text = "\n\n".join(SENTENCES) + "\n"
    first = extractor(text).to_dict()
    assert extractor(text).to_dict() == first
    assert saywho.extract(text).to_dict() == first  # the module-level API gives the same answer


def test_schema_file_is_valid_and_accepts_a_real_article(
    extractor: saywho.Extractor,
) -> None:
    text = (
        "Rail fares to rise again in January\n\n"
        "“Passengers are paying more for a worse service,” said Helen Marsh, who chairs the "
        "passenger watchdog. She said fares had risen faster than wages for a decade.\n"
    )
    data = extractor(text).to_dict()
    validator().validate(data)
    assert data["quotes"], "the passage has quotations"
    broken = json.loads(json.dumps(data))
    broken["quotes"][0]["type"] = "paraphrase"
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(broken)


def test_shared_articles_are_consistent(
    extractor: saywho.Extractor, consistent: Checker, shared: Path
) -> None:
    """Real scraped and annotated articles: the contract holds and the schema accepts them."""
    sources: list[str] = []
    example = shared / "examples" / "mee-mosul-foreign-fighters.txt"
    if example.is_file():
        sources.append(example.read_text(encoding="utf-8"))
    dev = shared / "data" / "polnear" / "dev.jsonl"
    if dev.is_file():
        with dev.open(encoding="utf-8") as f:
            sources.extend(json.loads(line)["text"] for _, line in zip(range(15), f, strict=False))
    if not sources:
        pytest.skip("no shared articles")
    for text in sources:
        article = extractor(text)
        assert article.text == text
        consistent(article)
        validator().validate(article.to_dict())
        assert article.quotes, "a news article with no quotation at all is unlikely"
