"""The report page's inline style sheet and script (kept apart from the Python that fills it).

The script reads the citations embedded as JSON and runs the table: a search box (every
word must occur in the row, case-insensitive), sorting by a click on a column heading, and
paging.  It builds cells with ``textContent`` only, so no page text is ever parsed as HTML.
"""

from __future__ import annotations

CSS = """
:root { --accent: #2f6fde; --accent-soft: #dbe6fb; --bad: #d64545; --ink: #1d2433;
  --muted: #667085; --line: #e4e7ee; --bg: #f5f7fb; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header { background: linear-gradient(120deg, #1f3f8f, #2f6fde); color: #fff; padding: 28px 32px;
  overflow-wrap: anywhere; }
header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; }
header p { margin: 0; opacity: .85; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 24px 48px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 14px;
  margin-top: -44px; }
.card, .panel { background: var(--card); border-radius: 10px; border: 1px solid var(--line);
  box-shadow: 0 1px 3px rgba(16, 24, 40, .06); }
.card { padding: 14px 16px; }
.card .n { font-size: 24px; font-weight: 650; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .s { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(480px, 100%), 1fr));
  gap: 16px; margin-top: 16px; }
.panel { padding: 16px 18px; min-width: 0; }
.panel.table { margin-top: 16px; }
.panel.wide { grid-column: 1 / -1; }
.panel h2 { font-size: 15px; margin: 0 0 10px; font-weight: 620; }
.panel h2 small { color: var(--muted); font-weight: 400; }
svg.chart { width: 100%; max-width: 100%; height: auto; display: block; }
svg .bar { fill: var(--accent); } svg .bar.bad { fill: var(--bad); opacity: .75; }
svg g:hover .bar { fill: #1f4fb0; } svg g:hover .bar.bad { fill: var(--bad); opacity: 1; }
svg .label { fill: var(--ink); font-size: 12px; }
svg .value, svg .tick { fill: var(--muted); font-size: 11px; }
svg .axis { stroke: #c9cfdb; } svg .grid { stroke: var(--line); stroke-dasharray: 3 3; }
table.list { width: 100%; border-collapse: collapse; }
table.list td { padding: 4px 0; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; }
table.list td.n { text-align: right; color: var(--muted); white-space: nowrap; padding-left: 12px; }
.empty, .note { color: var(--muted); }
.note { background: #fff7e0; border: 1px solid #f2d98b; color: #6b5200; padding: 8px 12px;
  border-radius: 8px; margin: 0 0 12px; }
.tools { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 10px; }
#search { flex: 1 1 320px; min-width: 0; max-width: 100%; padding: 9px 12px;
  border: 1px solid #c9cfdb; border-radius: 8px; font-size: 14px; }
#search:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
select, button { font: inherit; padding: 6px 10px; border: 1px solid #c9cfdb; border-radius: 8px;
  background: #fff; cursor: pointer; }
button:disabled { opacity: .4; cursor: default; }
#info { color: var(--muted); }
.scroll { overflow-x: auto; max-width: 100%; }
table.cites { width: 100%; border-collapse: collapse; font-size: 13px; }
table.cites th { text-align: left; position: sticky; top: 0; background: #f0f3f9; cursor: pointer;
  padding: 8px; border-bottom: 1px solid var(--line); white-space: nowrap; user-select: none; }
table.cites th[aria-sort="ascending"]::after { content: " ▲"; color: var(--accent); }
table.cites th[aria-sort="descending"]::after { content: " ▼"; color: var(--accent); }
table.cites td { padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; max-width: 320px; }
table.cites tr:hover td { background: #f8faff; }
td.title { min-width: 220px; max-width: 420px; } td.muted { color: var(--muted); }
td.claim { min-width: 170px; max-width: 280px; font-size: 12px; color: var(--muted); }
td.claim div { display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical;
  overflow: hidden; }
td.page { min-width: 96px; } td.section { min-width: 100px; } td.authors { min-width: 110px; }
td.num { text-align: right; white-space: nowrap; } td.ids { min-width: 180px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px;
  background: var(--accent-soft); color: #1f4fb0; white-space: nowrap; }
.badge.dead { background: #fde2e2; color: #a12a2a; }
.badge.archived { background: #e3f4e8; color: #1d6b37; }
.id { display: block; max-width: 230px; overflow-wrap: anywhere;
  font: 12px ui-monospace, monospace; }
.under { margin-top: 2px; color: var(--muted); font-size: 12px; display: flex; gap: 8px;
  flex-wrap: wrap; }
.badge.lang { background: #eef0f4; color: var(--muted); margin-left: 4px; }
.id b { font-weight: 600; color: var(--muted); } .id.bad { color: var(--bad); }
.pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end;
  margin-top: 10px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 16px; }
@media (max-width: 640px) {
  header { padding: 20px 16px 52px; } header h1 { font-size: 21px; }
  main { padding: 16px 10px 32px; } .panel { padding: 12px; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
  td.title { min-width: 160px; } .pager { flex-wrap: wrap; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cites-rows").textContent);
  var rows = data.rows, col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var flat = function (v) {
    if (v === null || v === undefined) return "";
    if (Array.isArray(v)) return v.map(function (x) {
      return Array.isArray(x) ? x[0] + " " + x[1] : x; }).join(" ");
    return String(v);
  };
  var hay = rows.map(function (r) { return r.map(flat).join("\\u0001").toLowerCase(); });
  var search = document.getElementById("search"), body = document.getElementById("cites-body");
  var info = document.getElementById("info"), size = document.getElementById("size");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var where = document.getElementById("where"), heads = document.querySelectorAll("th[data-key]");
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var view = [], page = 0, sortKey = null, sortDir = 1;
  var counted = function (n, noun) {
    return n.toLocaleString() + " " + noun + (n === 1 ? "" : "s");
  };

  function compare(a, b) {
    var x = rows[a][col[sortKey]], y = rows[b][col[sortKey]];
    if (Array.isArray(x)) { x = x.length; y = y.length; }
    if (x === null || x === "") return y === null || y === "" ? a - b : 1;
    if (y === null || y === "") return -1;
    var c = typeof x === "number" ? x - y : collator.compare(x, y);
    return c * sortDir || a - b;
  }
  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    view = [];
    for (var i = 0; i < rows.length; i++) {
      if (words.every(function (w) { return hay[i].indexOf(w) >= 0; })) view.push(i);
    }
    if (sortKey) view.sort(compare);
    page = 0;
    render();
  }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    if (text !== null && text !== undefined) td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function span(parent, text, cls) {
    var s = document.createElement("span");
    s.className = cls; s.textContent = text; parent.appendChild(s);
    return s;
  }
  function row(r) {
    var tr = document.createElement("tr");
    var pageCell = cell(tr, r[col.page], "page");
    if (r[col.lang]) span(pageCell, r[col.lang], "badge lang");
    cell(tr, r[col.section] || "(lead)", "muted section");
    span(cell(tr, null), r[col.kind], "badge");
    var title = cell(tr, null, "title"), url = r[col.url];
    if (url && /^https?:\\/\\//i.test(url)) {
      var a = document.createElement("a");
      a.href = url; a.textContent = r[col.title] || url; a.rel = "noopener noreferrer";
      title.appendChild(a);
    } else { title.textContent = r[col.title] || ""; }
    if (r[col.domain] || r[col.link]) {
      var under = document.createElement("div");
      under.className = "under";
      if (r[col.domain]) span(under, r[col.domain], "");
      if (r[col.link]) span(under, r[col.link], "badge " + r[col.link]);
      title.appendChild(under);
    }
    cell(tr, r[col.authors], "muted authors");
    cell(tr, r[col.source]);
    cell(tr, r[col.year], "num");
    var ids = cell(tr, null, "ids");
    r[col.ids].forEach(function (id) {
      var s = span(ids, "", id[2] ? "id" : "id bad");
      var b = document.createElement("b"); b.textContent = id[0] + " ";
      s.appendChild(b); s.appendChild(document.createTextNode(id[1]));
      if (!id[2]) s.title = "invalid " + id[0];
    });
    var problems = r[col.problems], p = cell(tr, problems.length || "", "num");
    if (problems.length) p.title = problems.join("\\n");
    var claim = cell(tr, null, "claim");
    if (r[col.claim]) {  // four lines of it; all of it on hover
      var text = document.createElement("div");
      text.textContent = r[col.claim]; text.title = r[col.claim];
      claim.appendChild(text);
    }
    return tr;
  }
  function render() {
    var per = +size.value, pages = Math.max(1, Math.ceil(view.length / per));
    page = Math.min(page, pages - 1);
    var start = page * per, end = Math.min(view.length, start + per);
    var frag = document.createDocumentFragment();
    for (var i = start; i < end; i++) frag.appendChild(row(rows[view[i]]));
    body.replaceChildren(frag);
    info.dataset.matching = String(view.length);
    info.textContent = view.length
      ? "Showing " + (start + 1).toLocaleString() + "–" + end.toLocaleString() + " of " +
        counted(view.length, "citation") +
        (view.length < rows.length ? " matching (of " + rows.length.toLocaleString() + ")" : "")
      : "No citation matches.";
    where.textContent = "Page " + (page + 1) + " of " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  heads.forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key;
      sortDir = sortKey === key ? -sortDir : (th.dataset.desc ? -1 : 1);
      sortKey = key;
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      filter();
    });
  });
  search.addEventListener("input", filter);
  size.addEventListener("change", function () { page = 0; render(); });
  prev.addEventListener("click", function () { page -= 1; render(); });
  next.addEventListener("click", function () { page += 1; render(); });
  filter();
})();
"""
