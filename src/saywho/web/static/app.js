// The saywho page: the analyse view, routing between views, and the kind toggle. The views live
// in their own modules: article.js (one article), corpus.js (search, speakers, articles).
import { renderArticle } from "./article.js";
import { SEARCH_FIELDS, loadTopSpeakers, noCorpus, runSearch, setupSearch, showArticle, showSpeaker } from "./corpus.js";
import { $, api, el, plural, setStatus } from "./dom.js";
import { KINDS, selected, state } from "./state.js";

// ---------------------------------------------------------------- analyse view

// "Finding quotes… 2.4 s": a long article takes seconds, and a silent page looks broken. The
// elapsed time is aria-hidden, so a screen reader hears the status once, not ten times a second.
function startClock(status) {
  const started = performance.now();
  const elapsed = el("span", { class: "elapsed", "aria-hidden": "true" }, "0.0 s");
  status.replaceChildren("Finding quotes… ", elapsed);
  status.className = "status busy";
  const timer = setInterval(() => {
    elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  }, 100);
  return () => {
    clearInterval(timer);
    return ((performance.now() - started) / 1000).toFixed(1);
  };
}

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
    button.disabled = true;
    result.setAttribute("aria-busy", "true");
    const stop = startClock(status);
    try {
      const article = await api("/api/extract", options);
      state.analysed = { article, seconds: stop() };
      renderAnalysed();
      result.scrollIntoView({ block: "start", behavior: "smooth" });
    } catch (err) {
      stop();
      setStatus(status, err.message, "error");
    } finally {
      button.disabled = false;
      result.removeAttribute("aria-busy");
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

// ---------------------------------------------------------------- routing

const VIEWS = ["search", "speaker", "article", "audit"];

function show(name) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const link of document.querySelectorAll("[data-nav]")) {
    const nav = link.dataset.nav;
    link.classList.toggle("active", nav === name || (nav === "search" && (name === "speaker" || name === "article")));
  }
}

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const page = parts[0] || "analyse";
  if (!VIEWS.includes(page)) return show("analyse");
  show(page);
  const section = $(`view-${page}`);
  if (!state.corpus) return noCorpus(section);
  if (page === "search") {
    loadTopSpeakers();
    if ([...params.values()].some(Boolean)) runSearch(params, false);
    else for (const name of SEARCH_FIELDS) $(`search-${name}`).value = name === "sort" ? "relevance" : "";
  } else if (page === "speaker") showSpeaker(section, parts[1] || "");
  else if (page === "audit") import("./audit.js").then((m) => m.showAudit(section, params));
  else showArticle(section, parts[1] || "", params.get("quote"));
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
    for (const link of document.querySelectorAll("[data-corpus]")) link.hidden = !info.corpus;
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

// A module script runs after the document is parsed, so the page is there to wire up.
start();
