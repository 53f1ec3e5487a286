// The source audit dashboard (#/audit): whose voices the corpus quotes, by outlet and month, the
// top sources, named vs unnamed, women / men / unknown. The numbers are /api/audit's, which are
// saywho.corpus.audit's (the CLI's `saywho audit`); this module only draws them. Charts are
// Observable Plot (vendored in static/vendor with d3, its licence beside it), loaded on first use.
import { $, api, downloads, el, plural, setStatus } from "./dom.js";
import { facetGroups } from "./corpus.js";
import { kindParam } from "./state.js";

// The audit's source classes (saywho.corpus.audit.CLASSES) in its order, with fixed colours.
const CLASSES = ["female person", "male person", "unknown-gender person", "organisation", "group", "document", "unnamed", "none"];
const LABELS = { "female person": "named women", "male person": "named men", "unknown-gender person": "named, gender unknown",
  organisation: "organisations", group: "groups", document: "documents", unnamed: "unnamed sources", none: "no speaker found" };
const COLOURS = ["#e15759", "#4e79a7", "#b07aa1", "#59a14f", "#f28e2b", "#9c755f", "#9a9a9a", "#d5d5d5"];
const FILTERS = ["outlet", "since", "until", "query", "type", "gender"];
const TOP = 15;
const PLOT_CLASS = "saywho-plot"; // style.css holds the rules Plot would put in a <style> element

let plotReady = null;
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = el("script", { src });
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}
// d3 first: Plot's bundle reads it from the global d3.
const loadPlot = () => (plotReady ??= loadScript("/static/vendor/d3.min.js").then(() => loadScript("/static/vendor/plot.umd.min.js")));

// A Plot figure without the <style> element Plot adds: the page's CSP allows only its own style
// sheet, and a detached node's <style> is never applied, so removing it first loads no inline style.
function plot(options) {
  const node = window.Plot.plot({ className: PLOT_CLASS, style: { fontSize: "12px" }, ...options });
  for (const style of node.querySelectorAll("style")) style.remove();
  if (node.tagName.toLowerCase() === "style") return el("div");
  return node;
}

const pct = (n, total) => (total ? `${Math.round((100 * n) / total)}%` : "0%");
// One record per (group, class) with its share of the group, for a stacked bar per group.
function shares(groups, label) {
  const out = [];
  for (const g of groups) {
    for (const c of CLASSES) {
      const n = g.classes[c] || 0;
      if (n) out.push({ group: label(g), cls: LABELS[c], quotes: n, share: n / (g.quotes || 1) });
    }
  }
  return out;
}
const colour = { domain: CLASSES.map((c) => LABELS[c]), range: COLOURS, legend: true };

function sharesChart(groups, label, width) {
  const data = shares(groups, label);
  const order = groups.map(label);
  return plot({
    width, height: Math.max(120, 32 * order.length + 70), marginLeft: 140,
    x: { percent: true, label: "share of quotes (%)" }, y: { domain: order, label: null },
    color: colour,
    marks: [
      window.Plot.barX(data, { x: "share", y: "group", fill: "cls", order: colour.domain, offset: "normalize",
        title: (d) => `${d.group}: ${d.quotes} quotes by ${d.cls} (${Math.round(100 * d.share)}%)` }),
      window.Plot.ruleX([0]),
    ],
  });
}

function countsChart(rows, width) {
  return plot({
    width, height: Math.max(100, 30 * rows.length + 50), marginLeft: 170,
    x: { label: "quotes", grid: true }, y: { domain: rows.map((r) => r.label), label: null },
    color: { domain: rows.map((r) => r.label), range: rows.map((r) => r.colour) },
    marks: [
      window.Plot.barX(rows, { x: "quotes", y: "label", fill: "label", title: (r) => `${r.label}: ${r.quotes} (${r.share})` }),
      window.Plot.text(rows, { x: "quotes", y: "label", text: (r) => `${r.quotes} · ${r.share}`, dx: 4, textAnchor: "start" }),
      window.Plot.ruleX([0]),
    ],
  });
}

function filterForm(params) {
  const field = (name, label, type = "search") => el("label", {}, label, el("input", { type, name, value: params.get(name) || "" }));
  const form = el("form", { class: "card search-card audit-form", id: "audit-form" },
    el("div", { class: "grid" }, field("query", "Topic: words in the quote"), field("outlet", "Outlet"),
      field("since", "From", "date"), field("until", "To", "date"), el("button", { type: "submit" }, "Audit")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    for (const input of form.querySelectorAll("input")) {
      if (input.value.trim()) next.set(input.name, input.value.trim());
      else next.delete(input.name);
    }
    location.hash = `#/audit?${next}`;
  });
  return form;
}

function table(groups, label, head) {
  return el("table", { class: "audit-table" },
    el("thead", {}, el("tr", {}, el("th", {}, head), el("th", {}, "quotes"), CLASSES.map((c) => el("th", {}, LABELS[c])))),
    el("tbody", {}, groups.map((g) => el("tr", {}, el("th", {}, label(g)), el("td", {}, g.quotes.toLocaleString()),
      CLASSES.map((c) => el("td", {}, `${g.classes[c] || 0} (${pct(g.classes[c] || 0, g.quotes)})`))))));
}

function panel(title, query, chart, extra) {
  return el("section", { class: "card audit-panel" }, el("div", { class: "panel-head" }, el("h2", {}, title), downloads("/api/audit", query)),
    el("div", { class: "chart" }, chart), extra || null);
}

export async function showAudit(section, params) {
  document.body.dataset.audit = "loading";
  section.replaceChildren(el("p", { class: "status busy", id: "audit-status" }, "Counting…"));
  const base = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) base.set(name, params.get(name));
  base.set("kind", kindParam());
  const ask = (by) => {
    const query = new URLSearchParams(base);
    if (by) query.set("by", by);
    return query;
  };
  try {
    const [, byOutlet, byMonth, bySpeaker] = await Promise.all([
      loadPlot(), api(`/api/audit?${ask("outlet")}`), api(`/api/audit?${ask("month")}`), api(`/api/audit?${ask("speaker")}`),
    ]);
    const totals = byOutlet.totals;
    const width = Math.min(760, Math.max(300, section.clientWidth - 340));
    const named = (c) => totals.classes[c] || 0;
    const classRows = (list) => list.map((c) => ({ label: LABELS[c], quotes: named(c), share: pct(named(c), totals.quotes), colour: COLOURS[CLASSES.indexOf(c)] }));
    const people = ["female person", "male person", "unknown-gender person"];
    const top = [...bySpeaker.groups].sort((a, b) => b.quotes - a.quotes).slice(0, TOP);
    const when = (g) => g.group ?? "(no date)";
    const months = [...byMonth.groups].sort((a, b) => String(when(a)).localeCompare(String(when(b))));
    const headline = el("p", { class: "summary audit-total" },
      `${plural(totals.quotes, "quote")} from ${plural(totals.speakers, "speaker")}: `,
      people.slice(0, 2).map((c) => `${pct(named(c), totals.quotes)} ${LABELS[c]}, `),
      `${pct(named("organisation"), totals.quotes)} organisations, ${pct(named("unnamed"), totals.quotes)} unnamed sources.`);
    section.replaceChildren(el("div", { class: "audit-layout" },
      el("div", { class: "audit-main" },
        el("div", { class: "card" }, el("h1", {}, "Whose voices"), headline,
          el("p", { class: "hint" }, "Each number is saywho audit's; every cell lists its quotes in the search (same filters).")),
        filterForm(params),
        panel("Shares by outlet", ask("outlet"), sharesChart(byOutlet.groups, (g) => g.group ?? "(no outlet)", width),
          table(byOutlet.groups, (g) => g.group ?? "(no outlet)", "outlet")),
        panel("Shares by month", ask("month"), sharesChart(months, when, width)),
        panel(`Top ${top.length} sources`, ask("speaker"), sharesChart(top, (g) => g.speaker || "(no speaker)", width)),
        panel("Named vs unnamed", base, countsChart(classRows(["unknown-gender person", "female person", "male person", "organisation", "group", "document", "unnamed", "none"]).filter((r) => r.quotes), width)),
        panel("Women, men, unknown (named people)", base, countsChart(classRows(people), width)),
      ),
      el("aside", { class: "search-side" },
        el("div", { class: "card facets", id: "audit-facets", "aria-label": "Refine the audit" }, facetGroups(byOutlet.facets, params, "audit"))),
    ));
    document.body.dataset.audit = "ready";
  } catch (err) {
    setStatus($("audit-status") || section.appendChild(el("p")), err.message, "error");
  }
}
