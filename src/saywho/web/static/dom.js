// Helpers every view uses. Everything that comes from the server (article text, names, metadata)
// goes into the page as text nodes, never as markup, so an article can never inject HTML or
// script; the server's Content-Security-Policy forbids inline script as a second line of defence.

export function el(tag, props, ...children) {
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

export const $ = (id) => document.getElementById(id);
export const plural = (n, word) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
export const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
// A server value made safe to use as part of a class name.
export const token = (value) => String(value).replace(/[^A-Za-z0-9_-]/g, "") || "x";
export const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
export const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

export async function api(path, options) {
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

export function setStatus(node, message, kind) {
  node.textContent = message;
  node.className = `status ${kind || ""}`;
}

export const kindBadge = (kind) => (kind && kind !== "speech" ? el("span", { class: "kind-badge" }, kind) : null);
// Indirect and mixed quotes are reported speech: the words are the writer's, so they carry a
// badge instead of quotation marks (a mixed quote's own marks around the quoted words stay).
export const typeBadge = (type) =>
  type && type !== "direct" ? el("span", { class: "type-badge", title: "reported speech: not word for word" }, type) : null;

// A quote in a list: quotation marks around direct quotes only, a type badge on the others.
export function quoteBody(q, nodes) {
  const words = nodes || [String(q.text ?? q.quote ?? "")];
  return q.type === "direct" ? ["“", ...words, "”"] : [typeBadge(q.type), " ", ...words];
}

// "Download CSV · JSON" for a view: the API URL of the view with Datasette's ?_format= added.
export function downloads(path, params) {
  const link = (fmt) => {
    const query = new URLSearchParams(params);
    query.set("_format", fmt);
    return el("a", { href: `${path}?${query}`, download: "", class: `download download-${fmt}` }, fmt.toUpperCase());
  };
  return el("span", { class: "downloads" }, "Download ", link("csv"), " · ", link("json"));
}
