// The corpus views (`saywho serve --db`): search with facets, total hits, sort and downloads;
// the same quote printed by several outlets as one cluster; speaker and article pages.
import { renderArticle } from "./article.js";
import { $, api, downloads, el, isWordChar, kindBadge, plural, quoteBody, setStatus } from "./dom.js";
import { backToSearch, kindParam, selected, state } from "./state.js";

const PAGE = 25;
// The search form's fields, and the facet filters a click adds to the same URL.
export const SEARCH_FIELDS = ["q", "speaker", "outlet", "since", "until", "sort"];
const FACET_LABELS = { outlet: "Outlet", kind: "Kind", type: "Source type", gender: "Gender" };

const articleLink = (row) =>
  row.article_id != null
    ? el("a", { href: `#/article/${encodeURIComponent(row.article_id)}?quote=${encodeURIComponent(row.quote_id ?? "")}` }, row.headline || "(untitled article)")
    : null;
const speakerLink = (id, name) =>
  id != null
    ? el("a", { href: `#/speaker/${encodeURIComponent(id)}`, class: "speaker-link" }, String(name || "").trim() || "(unnamed)")
    : el("span", { class: "muted" }, String(name || "").trim() || "unattributed");
const where = (row) => [row.outlet, row.date].filter((x) => typeof x === "string" && x).join(" · ");

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

// A reprinted quote: "printed in N articles", and on request every outlet that printed it.
function clusterNote(row) {
  const list = el("ol", { class: "cluster-list", hidden: true });
  const button = el("button", { type: "button", class: "link-button cluster-toggle", "aria-expanded": "false" },
    `printed ${row.cluster_size} times: show every outlet`);
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    list.hidden = !open;
    if (!open || list.dataset.loaded) return;
    try {
      const data = await api(`/api/clusters/${encodeURIComponent(row.cluster_id)}`);
      list.replaceChildren(...data.quotes.map((o) => el("li", {}, speakerLink(o.speaker_id, o.speaker), " · ", articleLink(o), ` · ${where(o)}`)));
      list.dataset.loaded = "1";
    } catch (err) {
      list.replaceChildren(el("li", { class: "error" }, err.message));
    }
  });
  return el("div", { class: "cluster" }, el("span", { class: "cluster-badge" }, "cluster"), " ", button, el("span", { class: "also" }), list);
}

export function quoteResult(row, showSpeaker = true) {
  const text = String(row.quote ?? "");
  const card = el(
    "li",
    { class: `card result ${row.type === "direct" ? "direct" : "reported"}` },
    el("blockquote", { class: "quote" }, quoteBody({ type: row.type, text }, highlighted(text, row.matches)), kindBadge(row.kind)),
    el(
      "p",
      { class: "meta" },
      showSpeaker ? [speakerLink(row.speaker_id, row.speaker), row.cue ? ` ${row.cue}` : "", " · "] : null,
      articleLink(row),
      where(row) ? el("span", { class: "nowrap" }, ` · ${where(row)}`) : "",
    ),
    row.cluster_size > 1 ? clusterNote(row) : null,
  );
  if (row.cluster_id != null) card.dataset.cluster = row.cluster_id;
  return card;
}

// Hits of one cluster after the first are folded into its card: "also in" the other outlets.
function appendResults(list, rows, showSpeaker = true) {
  for (const row of rows) {
    const first = row.cluster_size > 1 ? list.querySelector(`[data-cluster="${CSS.escape(String(row.cluster_id))}"]`) : null;
    if (!first) {
      list.append(quoteResult(row, showSpeaker));
      continue;
    }
    const also = first.querySelector(".also");
    also.append(also.childNodes.length ? "; " : " also here: ", row.outlet || row.headline || "another article");
  }
}

export function noCorpus(section) {
  section.replaceChildren(el("div", { class: "card" }, el("p", {}, "No corpus is loaded. Start the server with ", el("code", {}, "saywho serve --db corpus.db"), " to search quotes.")));
}

// The facets of a view (`route`: "search" or "audit"): each value with its hit count; a click
// filters on it (or lifts the filter). The kind facet is the kind toggle: its boxes switch the
// kinds every view shows.
export function facetGroups(facets, params, route) {
  const groups = [];
  for (const [name, values] of Object.entries(facets || {})) {
    const group = el("div", { class: "facet", dataset: { facet: name } }, el("h3", {}, FACET_LABELS[name] || name));
    for (const { value, count } of values) {
      const label = value ?? "(none)";
      const n = el("span", { class: "count" }, count.toLocaleString());
      if (name === "kind") {
        const box = el("input", { type: "checkbox", value: label });
        box.checked = state.kinds.has(label);
        box.addEventListener("change", () => document.querySelector(`#kind-toggle input[value="${CSS.escape(label)}"]`).click());
        group.append(el("label", { class: "facet-value" }, box, ` ${label} `, n));
        continue;
      }
      const on = params.get(name) === label;
      const next = new URLSearchParams(params);
      if (on) next.delete(name);
      else if (value !== null) next.set(name, label);
      group.append(el("a", { class: `facet-value${on ? " on" : ""}`, href: `#/${route}?${next}`, "aria-current": on ? "true" : null }, label, " ", n));
    }
    groups.push(group);
  }
  return groups;
}

export async function runSearch(params, append) {
  const status = $("search-status"), results = $("search-results"), more = $("search-more");
  for (const name of SEARCH_FIELDS) $(`search-${name}`).value = params.get(name) || (name === "sort" ? "relevance" : "");
  if (!append) {
    state.lastSearch = location.hash.startsWith("#/search") ? location.hash : "#/search";
    state.searchOffset = 0;
    results.replaceChildren();
  }
  const query = new URLSearchParams();
  for (const [k, v] of params) if (v) query.set(k, v);
  state.searchQuery = query.toString();
  query.set("kind", kindParam());
  $("search-downloads").replaceChildren(downloads("/api/quotes", query));
  query.set("limit", String(PAGE));
  query.set("offset", String(state.searchOffset));
  if (append) query.set("facets", "false");
  setStatus(status, "Searching…", "busy");
  more.hidden = true;
  try {
    const data = await api(`/api/quotes?${query}`);
    appendResults(results, data.quotes);
    state.searchOffset += data.quotes.length;
    if (!append) {
      state.searchTotal = data.total;
      $("search-facets").replaceChildren(...facetGroups(data.facets, params, "search"));
    }
    more.hidden = state.searchOffset >= (state.searchTotal ?? 0);
    const total = state.searchTotal ?? state.searchOffset;
    setStatus(status, total ? `${plural(total, "quote")} found; ${state.searchOffset.toLocaleString()} shown.` : "No quotes match.", total ? "ok" : "");
  } catch (err) {
    setStatus(status, err.message, "error");
  }
}

export async function loadTopSpeakers() {
  const list = $("top-speakers");
  if (list.dataset.loaded) return;
  try {
    const data = await api(`/api/speakers?top=25&kind=${encodeURIComponent(kindParam())}`);
    list.replaceChildren(
      ...data.speakers.map((s) =>
        el("li", {}, speakerLink(s.id, s.name), el("span", { class: "muted" }, ` ${plural(s.quote_count ?? 0, "quote")}, ${plural(s.article_count ?? 0, "article")}`)),
      ),
    );
    $("top-downloads").replaceChildren(downloads("/api/speakers", { top: "1000", kind: kindParam() }));
    list.dataset.loaded = "1";
  } catch (err) {
    list.replaceChildren(el("li", { class: "error" }, err.message));
  }
}

export async function showSpeaker(section, id) {
  section.replaceChildren(el("p", { class: "status busy" }, "Loading…"));
  try {
    const path = `/api/speakers/${encodeURIComponent(id)}`;
    const s = await api(`${path}?kind=${encodeURIComponent(kindParam())}`);
    const quotes = Array.isArray(s.quotes) ? s.quotes : [];
    const aka = (s.aliases || []).filter((a) => a !== s.name);
    const list = el("ol", { class: "results" });
    appendResults(list, quotes, false);
    section.replaceChildren(
      el(
        "div",
        { class: "card speaker-page" },
        backToSearch(),
        el("h1", {}, s.name || "(unnamed)"),
        aka.length ? el("p", {}, el("strong", {}, "Also called: "), aka.join(", ")) : null,
        (s.descriptors || []).length ? el("p", {}, el("strong", {}, "Described as: "), s.descriptors.join("; ")) : null,
        el("p", { class: "summary" }, `${plural(s.quote_count ?? quotes.length, "quote")} in ${plural(s.article_count ?? 0, "article")} `,
          downloads(path, { kind: kindParam() })),
      ),
      list,
    );
  } catch (err) {
    section.replaceChildren(el("p", { class: "status error" }, err.message));
  }
}

export async function showArticle(section, id, quoteId) {
  section.replaceChildren(el("p", { class: "status busy" }, "Loading…"));
  try {
    const article = await api(`/api/articles/${encodeURIComponent(id)}`);
    const title = typeof article.headline === "string" && article.headline ? article.headline : `Article ${id}`;
    const shown = selected(article);
    const hidden = (article.quotes || []).length - shown.quotes.length;
    const view = renderArticle(section, shown, { back: backToSearch(), title, hidden, textId: "corpus-article-text" });
    if (quoteId) view.selectQuote(quoteId);
  } catch (err) {
    section.replaceChildren(el("p", { class: "status error" }, err.message));
  }
}

export function setupSearch() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    // The facet filters not in the form (type, gender) are kept: a new query narrows the same view.
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    for (const name of SEARCH_FIELDS) {
      const value = $(`search-${name}`).value.trim();
      if (value && !(name === "sort" && value === "relevance")) params.set(name, value);
      else params.delete(name);
    }
    const target = `#/search?${params}`;
    if (location.hash === target) runSearch(params, false);
    else location.hash = target;
  });
  $("search-sort").addEventListener("change", () => $("search-form").requestSubmit());
  $("search-more").addEventListener("click", () => runSearch(new URLSearchParams(state.searchQuery), true));
}
