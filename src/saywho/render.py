"""Human-readable renderings of an Article: plain text by speaker, and a standalone HTML page."""

from __future__ import annotations

import html
import json

from .model import Article

PALETTE = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6", "#a0c4ff", "#ffadad",
           "#d0f4de", "#e4c1f9")


def to_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False, indent=2)


def to_text(article: Article) -> str:
    """Who said what: one block per speaker, then quotes with no speaker."""
    lines: list[str] = []
    meta = article.metadata
    for key in ("headline", "author", "publisher", "date"):
        if meta.get(key):
            lines.append(f"{key.capitalize()}: {meta[key]}")
    if lines:
        lines.append("")
    for speaker in article.speakers:
        quotes = [q for q in article.quotes if q.speaker_id == speaker.id]
        title = speaker.name if speaker.named else f"{speaker.name} (unnamed)"
        extra = []
        if speaker.aliases:
            extra.append("also " + ", ".join(speaker.aliases))
        if speaker.descriptors:
            extra.append("; ".join(speaker.descriptors))
        lines.append(f"{title}" + (f" — {' | '.join(extra)}" if extra else ""))
        for q in quotes:
            lines.append("  " + _quote_line(q))
        lines.append("")
    orphans = [q for q in article.quotes if q.speaker_id is None]
    if orphans:
        lines.append("(speaker unknown)")
        lines.extend("  " + _quote_line(q) for q in orphans)
        lines.append("")
    if not article.quotes:
        lines.append("No quotations found.")
    return "\n".join(lines).rstrip() + "\n"


def _quote_line(q) -> str:
    flags = [f for f, on in ((q.kind, q.kind != "speech"), ("pull quote", q.pullquote),
                             ("continued", q.continuation), (f"inside {q.nested_in}", q.nested_in)) if on]
    cue = f" [{q.cue.text}]" if q.cue else ""
    body = " ".join(q.text.split())
    mark = "“" + body + "”" if q.type == "direct" else body
    return f"{q.type:8}{cue} {mark}" + (f"  ({', '.join(flags)})" if flags else "")


def to_html(article: Article) -> str:
    """The article with each quote highlighted in its speaker's colour; everything escaped."""
    colour = {s.id: PALETTE[i % len(PALETTE)] for i, s in enumerate(article.speakers)}
    names = {s.id: s.name for s in article.speakers}
    # Outer quotes only: a nested quote is shown by its own border inside the outer highlight.
    events: list[tuple[int, int, str]] = []
    for q in article.quotes:
        bg = colour.get(q.speaker_id or "", "#eeeeee")
        who = names.get(q.speaker_id or "", "unknown speaker")
        style = f"background:{bg}" + (";outline:2px dashed #555" if q.nested_in else "")
        tag = (f'<mark class="quote {q.type}" style="{style}" title="{html.escape(who)} ({q.type})">')
        events.append((q.start, 1, tag))
        events.append((q.end, 0, "</mark>"))
    dim = {"boilerplate", "caption", "related", "byline", "pullquote_credit"}
    for r in article.regions:
        if r.kind in dim:
            events.append((r.start, 1, '<span class="dim">'))
            events.append((r.end, 0, "</span>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for offset, _, tag in events:
        out.append(html.escape(article.text[pos:offset]))
        out.append(tag)
        pos = offset
    out.append(html.escape(article.text[pos:]))
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour[s.id]}"></span>{html.escape(s.name)}'
        f' <small>{html.escape("; ".join(s.descriptors))}</small></li>'
        for s in article.speakers
    )
    title = html.escape(article.metadata.get("headline") or "saywho")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 16px/1.6 Georgia, serif; margin: 2em auto; max-width: 60em; display: flex; gap: 2em; }}
article {{ white-space: pre-wrap; flex: 3; }} aside {{ flex: 1; font-family: sans-serif; font-size: 14px; }}
mark {{ border-radius: 3px; padding: 0 2px; }} .dim {{ color: #999; }}
.swatch {{ display: inline-block; width: 1em; height: 1em; margin-right: .4em; vertical-align: middle; }}
ul {{ list-style: none; padding: 0; }}
</style></head><body>
<article>{"".join(out)}</article>
<aside><h3>Speakers</h3><ul>{legend}</ul></aside>
</body></html>
"""
