"use strict";
// The saywho page. Everything that comes from the server (article text, names, metadata) is put in
// the page as text nodes, never as markup, so an article can never inject HTML or script; the
// server's Content-Security-Policy forbids inline script as a second line of defence.

const PALETTE = 10; // colour classes c0..c9 in style.css; "cu" is for unattributed quotes
const UNATTRIBUTED = "\u0000unattributed"; // a key no speaker id can collide with
const DIMMED = new Set(["boilerplate", "caption", "related"]);
const PAGE = 25;
const KINDS = ["speech", "thought", "intent", "stance"];
// kinds: the kinds of quote every view shows (the toggle); speech is what readers count as quotes.
// analysed: the last extraction, kept whole (every kind) so the toggle re-renders it without re-extracting.
const state = {
  maxBytes: 2000000, corpus: false, searchOffset: 0, searchQuery: "", lastSearch: "#/search",
  kinds: new Set(["speech"]), analysed: null,
};
const backToSearch = () => el("a", { href: state.lastSearch, class: "back" }, "← back to search");

// ---------------------------------------------------------------- helpers

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value); // attribute names are ours; values stay plain strings
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
// A server value made safe to use as part of a class name.
const token = (value) => String(value).replace(/[^A-Za-z0-9_-]/g, "") || "x";
const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (_) {
    throw new Error("The saywho server could not be reached.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : `${response.status} ${response.statusText}`;
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return data;
}

// The `kind` query parameter of the corpus endpoints for the kinds shown.
const kindParam = () => (state.kinds.size === KINDS.length ? "all" : KINDS.filter((k) => state.kinds.has(k)).join(","));
const kindBadge = (kind) => (kind && kind !== "speech" ? el("span", { class: "kind-badge" }, kind) : null);

// The article as the page shows it, like Article.selected() in the library: only quotes of the
// kinds shown, a quote inside a hidden one no longer nested in it, only the speakers still quoted.
function selected(article) {
  const quotes = (article.quotes || []).filter((q) => state.kinds.has(q.kind || "speech"));
  const kept = new Set(quotes.map((q) => q.id));
  const shown = quotes.map((q) => (q.nested_in && !kept.has(q.nested_in) ? { ...q, nested_in: null } : q));
  const quoted = new Set(shown.map((q) => q.speaker_id));
  return { ...article, quotes: shown, speakers: (article.speakers || []).filter((s) => quoted.has(s.id)) };
}

function setStatus(node, message, kind) {
  node.textContent = message;
  node.className = `status ${kind || ""}`;
}

// ---------------------------------------------------------------- article rendering

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
    item("q c0 sample", "quote (speaker's colour)"),
    item("q cu sample", "unattributed"),
    item("q c1 nested sample", "nested quote"),
    item("q c2 pull sample", "pull quote"),
    item("cue sample", "cue"),
    el("span", { class: "legend-item" }, el("span", { class: "kind-badge" }, "thought"), " not speech: thought, intent, stance"),
    item("dim sample", "caption / boilerplate / related"),
  );
}

function describeQuote(q, speakerName) {
  const who = speakerName || "unattributed";
  const cue = q.cue ? `, cue “${q.cue.text}”` : "";
  const flags = [q.nested_in && "nested", q.pullquote && "pull quote", q.continuation && "continuation"].filter(Boolean);
  const kind = q.kind && q.kind !== "speech" ? `${q.kind}, ` : "";
  return `${who}: ${kind}${q.type} quote${cue}${flags.length ? ` (${flags.join(", ")})` : ""}`;
}

// Render an Article.to_dict() into `container`: highlighted text plus a speaker panel.
function renderArticle(container, article, options = {}) {
  container.replaceChildren();
  const quotes = article.quotes || [];
  const speakers = article.speakers || [];
  const meta = article.metadata || {};
  const byId = new Map(speakers.map((s, i) => [s.id, { speaker: s, colour: `c${i % PALETTE}` }]));
  const keyOf = (q) => (byId.has(q.speaker_id) ? q.speaker_id : UNATTRIBUTED);
  const colourOf = (key) => (byId.has(key) ? byId.get(key).colour : "cu");
  const nameOf = (key) => (byId.has(key) ? byId.get(key).speaker.name : null);

  const textBox = el("div", { class: "article-text", id: options.textId || null });
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
      span.classList.add("q", colourOf(key), `t-${token(inner.type)}`);
      if (p.quotes.length > 1 || inner.nested_in) span.classList.add("nested");
      if (inner.pullquote) span.classList.add("pull");
      if (p.start === inner.start) span.classList.add("qs");
      if (p.end === inner.end) span.classList.add("qe");
      if (inner.kind && inner.kind !== "speech") span.dataset.kind = inner.kind; // a badge at its end
      span.dataset.quote = inner.id;
      span.title = describeQuote(inner, nameOf(key));
      span.addEventListener("click", () => select(key, inner.id));
    }
    for (const q of p.quotes) if (!firstSegment.has(q.id)) firstSegment.set(q.id, span);
    segments.push({ span, keys: new Set(p.quotes.map(keyOf)), mentions: p.mentions });
    textBox.append(span);
  }

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
  const list = el("ul", { class: "speaker-list" });
  const corpusIds = article.corpus_speaker_ids || {};
  for (const s of order) {
    const aka = (s.aliases || []).filter((a) => a !== s.name);
    const item = speakerButton(s.id, s.name, [
      aka.length ? el("span", { class: "aka" }, `also: ${aka.join(", ")}`) : null,
      (s.descriptors || []).length ? el("span", { class: "desc" }, s.descriptors.join("; ")) : null,
      s.named === false ? el("span", { class: "desc" }, "unnamed source") : null,
    ]);
    if (corpusIds[s.id] != null) {
      item.append(el("a", { class: "corpus-link", href: `#/speaker/${encodeURIComponent(corpusIds[s.id])}` }, "all their quotes in the corpus →"));
    }
    list.append(item);
  }
  if (counts.get(UNATTRIBUTED)) list.append(speakerButton(UNATTRIBUTED, "Unattributed", el("span", { class: "desc" }, "no speaker found")));
  const selectedQuotes = el("div", { class: "speaker-quotes" });
  const panel = el(
    "aside",
    { class: "card panel" },
    el("h2", {}, "Speakers ", el("span", { class: "muted" }, String(speakers.length))),
    speakers.length || quotes.length
      ? el("p", { class: "hint" }, "Click a speaker (or a quote) to highlight their quotes and the words that refer to them.")
      : null,
    list,
    selectedQuotes,
  );

  let current = null;
  function select(key, quoteId) {
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
            {},
            el("button", { type: "button", class: "quote-link", onclick: () => reveal(q.id) }, `“${clip(q.text, 140)}”`),
            kindBadge(q.kind),
            el("span", { class: "muted" }, ` ${q.type}${q.cue ? `, ${q.cue.text}` : ""}${q.pullquote ? ", pull quote" : ""}`),
          ),
        ),
      ),
    );
    if (quoteId) reveal(quoteId);
  }
  function reveal(quoteId) {
    const span = firstSegment.get(quoteId);
    if (!span) return;
    span.scrollIntoView({ block: "center", behavior: "smooth" });
    span.classList.remove("flash");
    void span.offsetWidth; // restart the animation
    span.classList.add("flash");
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
      const q = quotes.find((x) => x.id === quoteId);
      if (q) select(keyOf(q), q.id);
    },
  };
}

// ---------------------------------------------------------------- analyse view

function setupAnalyse() {
  const form = $("extract-form"), input = $("article-input"), file = $("file-input");
  const status = $("extract-status"), button = $("extract-button"), result = $("analyse-result");
  input.addEventListener("input", () => {
    if (input.value) file.value = "";
  });
  file.addEventListener("change", () => {
    if (file.files.length) setStatus(status, `File: ${file.files[0].name}. Press “Find quotes”.`);
  });
  $("clear-button").addEventListener("click", () => {
    input.value = "";
    file.value = "";
    result.replaceChildren();
    state.analysed = null;
    setStatus(status, "");
    input.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const format = $("format-input").value;
    let options;
    if (file.files.length) {
      const chosen = file.files[0];
      if (chosen.size > state.maxBytes) {
        setStatus(status, `That file is ${chosen.size.toLocaleString()} bytes; the limit is ${state.maxBytes.toLocaleString()}.`, "error");
        return;
      }
      const data = new FormData();
      data.append("file", chosen);
      data.append("input_format", format);
      options = { method: "POST", body: data };
    } else {
      if (!input.value.trim()) {
        setStatus(status, "Paste an article or choose a file first.", "error");
        return;
      }
      const body = JSON.stringify({ text: input.value, input_format: format });
      const size = new Blob([body]).size;
      if (size > state.maxBytes) {
        setStatus(status, `That text is ${size.toLocaleString()} bytes; the limit is ${state.maxBytes.toLocaleString()}.`, "error");
        return;
      }
      options = { method: "POST", headers: { "Content-Type": "application/json" }, body };
    }
    setStatus(status, "Finding quotes…", "busy");
    button.disabled = true;
    const started = performance.now();
    try {
      const article = await api("/api/extract", options);
      state.analysed = { article, seconds: ((performance.now() - started) / 1000).toFixed(1) };
      renderAnalysed();
      result.scrollIntoView({ block: "start", behavior: "smooth" });
    } catch (err) {
      setStatus(status, err.message, "error");
    } finally {
      button.disabled = false;
    }
  });
}

// The last extraction, showing the kinds chosen: the server sent every kind, labelled.
function renderAnalysed() {
  if (!state.analysed) return;
  const { article, seconds } = state.analysed;
  const shown = selected(article);
  const hidden = article.quotes.length - shown.quotes.length;
  const more = hidden ? ` (${hidden} more of other kinds: see “Show”)` : "";
  setStatus($("extract-status"), `Found ${plural(shown.quotes.length, "quote")} and ${plural(shown.speakers.length, "speaker")} in ${seconds} s${more}.`, "ok");
  renderArticle($("analyse-result"), shown, { textId: "article-text", hidden });
}

// ---------------------------------------------------------------- corpus views

const articleLink = (row) =>
  row.article_id != null
    ? el("a", { href: `#/article/${encodeURIComponent(row.article_id)}?quote=${encodeURIComponent(row.quote_id ?? "")}` }, row.headline || "(untitled article)")
    : null;
const speakerLink = (id, name) =>
  id != null
    ? el("a", { href: `#/speaker/${encodeURIComponent(id)}`, class: "speaker-link" }, String(name || "").trim() || "(unnamed)")
    : el("span", { class: "muted" }, String(name || "").trim() || "unattributed");

// `text` as text nodes with each whole-word occurrence of `words` wrapped in <mark>.
function highlighted(text, words) {
  const lower = text.toLowerCase();
  if (!words || !words.length || lower.length !== text.length) return [text];
  const ranges = [];
  for (const word of words) {
    const w = word.toLowerCase();
    for (let i = w ? lower.indexOf(w) : -1; i >= 0; i = lower.indexOf(w, i + w.length)) {
      if (!isWordChar(text[i - 1]) && !isWordChar(text[i + w.length])) ranges.push([i, i + w.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    out.push(text.slice(at, start), el("mark", {}, text.slice(start, end)));
    at = end;
  }
  out.push(text.slice(at));
  return out;
}

function quoteResult(row, showSpeaker = true) {
  const meta = [row.outlet, row.date].filter((x) => typeof x === "string" && x);
  return el(
    "li",
    { class: "card result" },
    el("blockquote", { class: "quote" }, "“", highlighted(String(row.quote ?? ""), row.matches), "”", kindBadge(row.kind)),
    el(
      "p",
      { class: "meta" },
      showSpeaker ? [speakerLink(row.speaker_id, row.speaker), row.cue ? ` ${row.cue}` : "", " · "] : null,
      articleLink(row),
      meta.length ? el("span", { class: "nowrap" }, ` · ${meta.join(" · ")}`) : "",
    ),
  );
}

function noCorpus(section) {
  section.replaceChildren(el("div", { class: "card" }, el("p", {}, "No corpus is loaded. Start the server with ", el("code", {}, "saywho serve --db corpus.db"), " to search quotes.")));
}

async function runSearch(params, append) {
  const status = $("search-status"), results = $("search-results"), more = $("search-more");
  for (const name of ["q", "speaker", "outlet", "since", "until"]) $(`search-${name}`).value = params.get(name) || "";
  if (!append) {
    state.lastSearch = location.hash.startsWith("#/search") ? location.hash : "#/search";
    state.searchOffset = 0;
    results.replaceChildren();
  }
  const query = new URLSearchParams();
  for (const [k, v] of params) if (v) query.set(k, v);
  state.searchQuery = query.toString();
  query.set("kind", kindParam());
  query.set("limit", String(PAGE));
  query.set("offset", String(state.searchOffset));
  setStatus(status, "Searching…", "busy");
  more.hidden = true;
  try {
    const data = await api(`/api/quotes?${query}`);
    for (const row of data.quotes) results.append(quoteResult(row));
    state.searchOffset += data.quotes.length;
    more.hidden = data.quotes.length < PAGE;
    const shown = results.children.length;
    setStatus(status, shown ? `${plural(shown, "quote")} shown.` : "No quotes match.", shown ? "ok" : "");
  } catch (err) {
    setStatus(status, err.message, "error");
  }
}

async function loadTopSpeakers() {
  const list = $("top-speakers");
  if (list.dataset.loaded) return;
  try {
    const data = await api(`/api/speakers?top=25&kind=${encodeURIComponent(kindParam())}`);
    list.replaceChildren(
      ...data.speakers.map((s) =>
        el("li", {}, speakerLink(s.id, s.name), el("span", { class: "muted" }, ` ${plural(s.quote_count ?? 0, "quote")}, ${plural(s.article_count ?? 0, "article")}`)),
      ),
    );
    list.dataset.loaded = "1";
  } catch (err) {
    list.replaceChildren(el("li", { class: "error" }, err.message));
  }
}

async function showSpeaker(section, id) {
  section.replaceChildren(el("p", { class: "status busy" }, "Loading…"));
  try {
    const s = await api(`/api/speakers/${encodeURIComponent(id)}?kind=${encodeURIComponent(kindParam())}`);
    const quotes = Array.isArray(s.quotes) ? s.quotes : [];
    const aka = (s.aliases || []).filter((a) => a !== s.name);
    section.replaceChildren(
      el(
        "div",
        { class: "card speaker-page" },
        backToSearch(),
        el("h1", {}, s.name || "(unnamed)"),
        aka.length ? el("p", {}, el("strong", {}, "Also called: "), aka.join(", ")) : null,
        (s.descriptors || []).length ? el("p", {}, el("strong", {}, "Described as: "), s.descriptors.join("; ")) : null,
        el("p", { class: "summary" }, `${plural(s.quote_count ?? quotes.length, "quote")} in ${plural(s.article_count ?? 0, "article")}`),
      ),
      el("ol", { class: "results" }, quotes.map((q) => quoteResult(q, false))),
    );
  } catch (err) {
    section.replaceChildren(el("p", { class: "status error" }, err.message));
  }
}

async function showArticle(section, id, quoteId) {
  section.replaceChildren(el("p", { class: "status busy" }, "Loading…"));
  try {
    const article = await api(`/api/articles/${encodeURIComponent(id)}`);
    const title = typeof article.headline === "string" && article.headline ? article.headline : `Article ${id}`;
    const shown = selected(article);
    const hidden = (article.quotes || []).length - shown.quotes.length;
    const view = renderArticle(section, shown, { back: backToSearch(), title, hidden });
    if (quoteId) view.selectQuote(quoteId);
  } catch (err) {
    section.replaceChildren(el("p", { class: "status error" }, err.message));
  }
}

// ---------------------------------------------------------------- routing

function show(name) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const link of document.querySelectorAll("[data-nav]")) {
    link.classList.toggle("active", link.dataset.nav === name || (name !== "analyse" && link.dataset.nav === "search"));
  }
}

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const page = parts[0] || "analyse";
  if (page === "analyse" || !["search", "speaker", "article"].includes(page)) return show("analyse");
  show(page);
  const section = $(`view-${page}`);
  if (!state.corpus) return noCorpus(section);
  if (page === "search") {
    loadTopSpeakers();
    if ([...params.values()].some(Boolean)) runSearch(params, false);
  } else if (page === "speaker") showSpeaker(section, parts[1] || "");
  else showArticle(section, parts[1] || "", params.get("quote"));
}

function setupSearch() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const name of ["q", "speaker", "outlet", "since", "until"]) {
      const value = $(`search-${name}`).value.trim();
      if (value) params.set(name, value);
    }
    const target = `#/search?${params}`;
    if (location.hash === target) runSearch(params, false);
    else location.hash = target;
  });
  $("search-more").addEventListener("click", () => runSearch(new URLSearchParams(state.searchQuery), true));
}

// The kind toggle: "all" checks every kind; the last kind shown cannot be unchecked. A change
// re-renders the current view: the analysed article from what the server sent, the corpus views
// by asking the corpus again for those kinds.
function setupKinds() {
  const boxes = [...document.querySelectorAll("#kind-toggle input[name=kind]")], all = $("kind-all");
  const sync = () => {
    for (const b of boxes) b.checked = state.kinds.has(b.value);
    all.checked = state.kinds.size === KINDS.length;
  };
  const changed = () => {
    sync();
    $("top-speakers").dataset.loaded = "";
    if (!$("view-analyse").hidden) renderAnalysed();
    else route();
  };
  for (const box of boxes) {
    box.addEventListener("change", () => {
      if (box.checked) state.kinds.add(box.value);
      else if (state.kinds.size > 1) state.kinds.delete(box.value);
      changed();
    });
  }
  all.addEventListener("change", () => {
    state.kinds = new Set(all.checked ? KINDS : ["speech"]);
    changed();
  });
  sync();
}

async function start() {
  setupAnalyse();
  setupSearch();
  setupKinds();
  try {
    const info = await api("/api/info");
    state.maxBytes = info.max_bytes;
    state.corpus = info.corpus;
    $("nav-search").hidden = !info.corpus;
    if (info.corpus) {
      const stats = await api("/api/stats").catch(() => null);
      // Quotes as readers count them: speech (stats.quotes counts every kind).
      const labels = { articles: "articles", quotes_speech: "quotes", corpus_speakers: "speakers" };
      const bits = stats ? Object.keys(labels).filter((k) => typeof stats[k] === "number").map((k) => `${stats[k].toLocaleString()} ${labels[k]}`) : [];
      $("corpus-info").textContent = bits.length ? `corpus: ${bits.join(" · ")}` : "corpus loaded";
    }
  } catch (err) {
    setStatus($("extract-status"), err.message, "error");
  }
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", start);
