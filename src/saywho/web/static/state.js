// What every view shares: the kinds shown, the server's limits, the last search.
import { el } from "./dom.js";

export const KINDS = ["speech", "thought", "intent", "stance"];
// kinds: the kinds of quote every view shows (the toggle); speech is what readers count as quotes.
// analysed: the last extraction, kept whole (every kind) so the toggle re-renders it without re-extracting.
export const state = {
  maxBytes: 2000000, corpus: false, searchOffset: 0, searchQuery: "", lastSearch: "#/search",
  kinds: new Set(["speech"]), analysed: null,
};

// The `kind` query parameter of the corpus endpoints for the kinds shown.
export const kindParam = () => (state.kinds.size === KINDS.length ? "all" : KINDS.filter((k) => state.kinds.has(k)).join(","));
export const backToSearch = () => el("a", { href: state.lastSearch, class: "back" }, "← back to search");

// The article as the page shows it, like Article.selected() in the library: only quotes of the
// kinds shown, a quote inside a hidden one no longer nested in it, only the speakers still quoted.
export function selected(article) {
  const quotes = (article.quotes || []).filter((q) => state.kinds.has(q.kind || "speech"));
  const kept = new Set(quotes.map((q) => q.id));
  const shown = quotes.map((q) => (q.nested_in && !kept.has(q.nested_in) ? { ...q, nested_in: null } : q));
  const quoted = new Set(shown.map((q) => q.speaker_id));
  return { ...article, quotes: shown, speakers: (article.speakers || []).filter((s) => quoted.has(s.id)) };
}
