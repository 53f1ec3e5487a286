// One article drawn from Article.to_dict(): the text with every quote highlighted in its
// speaker's colour and labelled with the speaker's name, reachable by keyboard, plus the speaker
// panel (before the article on a phone, see style.css).
import { clip, el, kindBadge, plural, quoteBody, safeUrl, token, typeBadge } from "./dom.js";

const PALETTE = 10; // colour classes c0..c9 in style.css; "cu" is for unattributed quotes
const UNATTRIBUTED = "\u0000unattributed"; // a key no speaker id can collide with
const DIMMED = new Set(["boilerplate", "caption", "related"]);
const LABEL_CHARS = 28; // an inline label names the speaker; a long description is cut

// Cut the text at every quote, mention, cue and region boundary; each piece knows what covers it.
function pieces(article) {
  const text = article.text || "";
  const clamp = (n) => Math.max(0, Math.min(text.length, n | 0));
  const items = [];
  const add = (kind, span, ref) => {
    if (!span) return;
    const start = clamp(span.start), end = clamp(span.end);
    if (start < end) items.push({ kind, start, end, ref });
  };
  for (const r of article.regions || []) add("region", r, r.kind);
  for (const q of article.quotes || []) {
    add("quote", q, q);
    add("cue", q.cue, q);
  }
  for (const s of article.speakers || []) for (const m of s.mentions || []) add("mention", m, s.id);

  const starts = new Map(), ends = new Map(), points = new Set([0, text.length]);
  for (const it of items) {
    points.add(it.start);
    points.add(it.end);
    if (!starts.has(it.start)) starts.set(it.start, []);
    if (!ends.has(it.end)) ends.set(it.end, []);
    starts.get(it.start).push(it);
    ends.get(it.end).push(it);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const active = new Set(), out = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const at = sorted[i], next = sorted[i + 1];
    for (const it of ends.get(at) || []) active.delete(it);
    for (const it of starts.get(at) || []) active.add(it);
    const piece = { start: at, end: next, text: text.slice(at, next), quotes: [], mentions: [], cue: false, region: null };
    for (const it of active) {
      if (it.kind === "quote") piece.quotes.push(it.ref);
      else if (it.kind === "mention") piece.mentions.push(it.ref);
      else if (it.kind === "cue") piece.cue = true;
      else piece.region = it.ref;
    }
    // The innermost quote is the one that started last (then the shortest).
    piece.quotes.sort((a, b) => a.start - b.start || b.end - a.end);
    out.push(piece);
  }
  return out;
}

function metaLine(meta) {
  const parts = [meta.publisher, meta.date, meta.author && `by ${meta.author}`, meta.dateline].filter(
    (p) => typeof p === "string" && p.trim(),
  );
  const line = el("p", { class: "meta" }, parts.join(" · "));
  const url = safeUrl(meta.url);
  if (url) line.append(parts.length ? " · " : "", el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "source"));
  return line;
}

function legend() {
  const item = (cls, label) => el("span", { class: "legend-item" }, el("span", { class: cls }, "abc"), ` ${label}`);
  return el(
    "div",
    { class: "legend", "aria-label": "legend" },
    item("q c0 sample", "quote (speaker's colour and name)"),
    item("q cu sample", "unattributed"),
    item("q c1 nested sample", "nested quote"),
    item("q c2 pull sample", "pull quote"),
    item("cue sample", "cue"),
    el("span", { class: "legend-item" }, typeBadge("indirect"), " reported speech, not word for word"),
    el("span", { class: "legend-item" }, el("span", { class: "kind-badge" }, "thought"), " not speech: thought, intent, stance"),
    item("dim sample", "caption / boilerplate / related"),
    el("span", { class: "legend-item" }, "Tab or ←/→ between quotes, Enter for the speaker"),
  );
}

function describeQuote(q, speakerName) {
  const who = speakerName || "unattributed";
  const cue = q.cue ? `, cue “${q.cue.text}”` : "";
  const flags = [q.nested_in && "nested", q.pullquote && "pull quote", q.continuation && "continuation"].filter(Boolean);
  const kind = q.kind && q.kind !== "speech" ? `${q.kind}, ` : "";
  const what = q.type === "direct" ? "direct quote" : `${q.type} quote (reported speech)`;
  return `${who}: ${kind}${what}${cue}${flags.length ? ` (${flags.join(", ")})` : ""}`;
}

// The type and kind badges at a quote's end: drawn by CSS from data-badge (a pseudo-element, not
// a node), so the article text shown stays exactly the article's text.
const badgeOf = (q) => [q.type !== "direct" && q.type, q.kind && q.kind !== "speech" && q.kind].filter(Boolean).join(" · ");

// Render an Article.to_dict() into `container`: highlighted text plus a speaker panel.
export function renderArticle(container, article, options = {}) {
  container.replaceChildren();
  const quotes = article.quotes || [];
  const speakers = article.speakers || [];
  const meta = article.metadata || {};
  const byId = new Map(speakers.map((s, i) => [s.id, { speaker: s, colour: `c${i % PALETTE}` }]));
  const keyOf = (q) => (byId.has(q.speaker_id) ? q.speaker_id : UNATTRIBUTED);
  const colourOf = (key) => (byId.has(key) ? byId.get(key).colour : "cu");
  const nameOf = (key) => (byId.has(key) ? byId.get(key).speaker.name : null);
  const byQuote = new Map(quotes.map((q) => [q.id, q]));

  const textBox = el("div", { class: "article-text", id: options.textId || null, role: "document" });
  const segments = [];
  const firstSegment = new Map();
  for (const p of pieces(article)) {
    const inner = p.quotes[p.quotes.length - 1];
    const plain = !inner && !p.mentions.length && !p.cue && (!p.region || p.region === "body");
    if (plain) {
      textBox.append(document.createTextNode(p.text));
      continue;
    }
    const span = el("span", {}, p.text);
    if (p.region) span.classList.add(`r-${token(p.region)}`);
    if (DIMMED.has(p.region)) span.classList.add("dim");
    if (p.cue) span.classList.add("cue");
    if (p.mentions.length) span.classList.add("m");
    if (inner) {
      const key = keyOf(inner);
      const nested = p.quotes.length > 1 || inner.nested_in;
      span.classList.add("q", colourOf(key), `t-${token(inner.type)}`);
      if (nested) span.classList.add("nested");
      if (inner.pullquote) span.classList.add("pull");
      if (p.start === inner.start) {
        // The inline label: colours repeat after ten speakers, names do not.
        span.classList.add("qs");
        const tags = [inner.pullquote && "pull quote", nested && "nested", clip(nameOf(key) || "unattributed", LABEL_CHARS)];
        span.dataset.label = tags.filter(Boolean).join(" · ");
      }
      if (p.end === inner.end) {
        span.classList.add("qe");
        if (inner.kind && inner.kind !== "speech") span.dataset.kind = inner.kind;
        if (badgeOf(inner)) span.dataset.badge = badgeOf(inner);
      }
      span.dataset.quote = inner.id;
      span.title = describeQuote(inner, nameOf(key));
      span.addEventListener("click", () => select(key, inner.id));
    }
    for (const q of p.quotes) {
      if (firstSegment.has(q.id)) continue;
      firstSegment.set(q.id, span);
      // Keyboard access: the start of every quote is a stop for Tab and the arrow keys.
      span.tabIndex = 0;
      span.setAttribute("role", "button");
      span.setAttribute("aria-label", `${describeQuote(q, nameOf(keyOf(q)))}: ${clip(q.text, 200)}`);
      span.dataset.stop = q.id;
    }
    segments.push({ span, keys: new Set(p.quotes.map(keyOf)), ids: new Set(p.quotes.map((q) => q.id)), mentions: p.mentions });
    textBox.append(span);
  }
  const stops = [...firstSegment.entries()].sort((a, b) => byQuote.get(a[0]).start - byQuote.get(b[0]).start);
  textBox.addEventListener("keydown", (event) => {
    const at = stops.findIndex(([, span]) => span === event.target);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    let to = null;
    if (step) to = Math.max(0, Math.min(stops.length - 1, at + step));
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = stops.length - 1;
    if (to !== null) {
      event.preventDefault();
      stops[to][1].focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const q = byQuote.get(stops[at][0]);
      select(keyOf(q), q.id, { keepFocus: true });
    }
  });
  // Every piece of the focused quote is outlined, not just the stop that holds the focus.
  textBox.addEventListener("focusin", (event) => {
    const id = event.target.dataset && event.target.dataset.stop;
    for (const s of segments) s.span.classList.toggle("q-focus", Boolean(id) && s.ids.has(id));
  });
  textBox.addEventListener("focusout", () => {
    for (const s of segments) s.span.classList.remove("q-focus");
  });

  // ---- the speaker panel
  const counts = new Map();
  for (const q of quotes) counts.set(keyOf(q), (counts.get(keyOf(q)) || 0) + 1);
  const order = [...speakers].sort((a, b) => (counts.get(b.id) || 0) - (counts.get(a.id) || 0));
  const buttons = [];
  const speakerButton = (key, name, sub) => {
    const n = counts.get(key) || 0;
    const button = el(
      "button",
      { type: "button", class: `speaker ${colourOf(key)}`, "aria-pressed": "false", onclick: () => select(key) },
      el("span", { class: "swatch", "aria-hidden": "true" }),
      el("span", { class: "who" }, el("span", { class: "name" }, name), el("span", { class: "count" }, plural(n, "quote"))),
      sub,
    );
    button.dataset.speaker = key;
    buttons.push(button);
    return el("li", {}, button);
  };
  const list = el("ul", { class: "speaker-list", id: `${options.textId || "a"}-speakers` });
  const corpusIds = article.corpus_speaker_ids || {};
  for (const s of order) {
    const aka = (s.aliases || []).filter((a) => a !== s.name);
    const who = [s.type && s.type !== "person" ? s.type : s.named === false ? "unnamed source" : null,
      s.gender && s.gender !== "unknown" ? s.gender : null].filter(Boolean);
    const item = speakerButton(s.id, s.name, [
      aka.length ? el("span", { class: "aka" }, `also: ${aka.join(", ")}`) : null,
      (s.descriptors || []).length ? el("span", { class: "desc" }, s.descriptors.join("; ")) : null,
      who.length ? el("span", { class: "desc" }, who.join(" · ")) : null,
    ]);
    if (corpusIds[s.id] != null) {
      item.append(el("a", { class: "corpus-link", href: `#/speaker/${encodeURIComponent(corpusIds[s.id])}` }, "all their quotes in the corpus →"));
    }
    list.append(item);
  }
  if (counts.get(UNATTRIBUTED)) list.append(speakerButton(UNATTRIBUTED, "Unattributed", el("span", { class: "desc" }, "no speaker found")));
  const selectedQuotes = el("div", { class: "speaker-quotes", "aria-live": "polite" });
  // On a phone the panel comes first and folds away (a drawer): the toggle shows only there.
  const toggle = el("button", { type: "button", class: "panel-toggle secondary", "aria-expanded": "true", "aria-controls": list.id },
    "Hide speakers");
  const panel = el(
    "aside",
    { class: "card panel", "aria-label": "Speakers" },
    el("div", { class: "panel-head" }, el("h2", {}, "Speakers ", el("span", { class: "muted" }, String(speakers.length))), toggle),
    speakers.length || quotes.length
      ? el("p", { class: "hint" }, "Click a speaker (or a quote) to highlight their quotes and the words that refer to them.")
      : null,
    list,
    selectedQuotes,
  );
  toggle.addEventListener("click", () => {
    const open = panel.classList.toggle("folded") === false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide speakers" : "Show speakers";
  });

  let current = null;
  function select(key, quoteId, how = {}) {
    current = current === key && !quoteId ? null : key;
    textBox.className = "article-text";
    if (current !== null) textBox.classList.add("has-selection", `sel-${colourOf(current)}`);
    for (const s of segments) {
      s.span.classList.toggle("q-on", current !== null && s.keys.has(current));
      s.span.classList.toggle("m-on", current !== null && s.mentions.includes(current));
    }
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.speaker === current));
    selectedQuotes.replaceChildren();
    selectedQuotes.className = "speaker-quotes";
    if (current === null) return;
    if (panel.classList.contains("folded")) toggle.click(); // Enter on a quote shows its speaker
    selectedQuotes.classList.add(`sel-${colourOf(current)}`);
    const mine = quotes.filter((q) => keyOf(q) === current);
    const mentions = byId.has(current) ? (byId.get(current).speaker.mentions || []).length : 0;
    selectedQuotes.append(
      el("h3", {}, `${nameOf(current) || "Unattributed"}: ${plural(mine.length, "quote")}, ${plural(mentions, "mention")}`),
      el(
        "ol",
        {},
        mine.map((q) =>
          el(
            "li",
            { class: q.type === "direct" ? "direct" : "reported" },
            el("button", { type: "button", class: "quote-link", onclick: () => reveal(q.id) }, quoteBody({ ...q, text: clip(q.text, 140) })),
            kindBadge(q.kind),
            el("span", { class: "muted" }, ` ${q.type}${q.cue ? `, ${q.cue.text}` : ""}${q.pullquote ? ", pull quote" : ""}`),
          ),
        ),
      ),
    );
    if (quoteId) reveal(quoteId, how.keepFocus);
  }
  function reveal(quoteId, keepFocus) {
    const span = firstSegment.get(quoteId);
    if (!span) return;
    span.scrollIntoView({ block: "center", behavior: "smooth" });
    span.classList.remove("flash");
    void span.offsetWidth; // restart the animation
    span.classList.add("flash");
    if (!keepFocus) span.focus({ preventScroll: true });
  }

  const headline = typeof meta.headline === "string" && meta.headline.trim() ? meta.headline : options.title || "Article";
  const warnings = Array.isArray(meta.warnings) ? meta.warnings.filter((w) => typeof w === "string") : [];
  const body = el(
    "article",
    { class: "card article" },
    options.back || null,
    el("h1", {}, headline),
    metaLine(meta),
    el(
      "p",
      { class: "summary" },
      `${plural(quotes.length, "quote")} · ${plural(speakers.length, "speaker")}`,
      options.hidden ? ` · ${options.hidden} more of other kinds not shown` : "",
      quotes.length ? "" : ". No quotations of the kinds shown were found in this text.",
    ),
    warnings.length ? el("p", { class: "warning" }, `Note: ${warnings.join("; ")}`) : null,
    legend(),
    textBox,
  );
  container.append(el("div", { class: "article-layout" }, body, panel));
  return {
    select,
    reveal,
    selectQuote(quoteId) {
      const q = byQuote.get(quoteId);
      if (q) select(keyOf(q), q.id);
    },
  };
}
