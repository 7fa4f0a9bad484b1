/* The warehouse docs site: everything is drawn from the JSON block embedded in index.html.
 *
 * Routes (hash-based, so the site works from file://):
 *   #/                          overview
 *   #/node/<unique_id>[/<col>]  one seed, source or model (column highlighted)
 *   #/graph[/<unique_id>]       the model graph (focused on one node's ancestors and descendants)
 *   #/lineage[/<model>/<col>]   column lineage down to seed and source columns
 *   #/charts                    mart charts
 *   #/tests                     every test and expectation with its last result
 *   #/changes[/<build_id>]      what each published build changed (_warehouse_changes)
 * Data is inserted with textContent only; nothing from the project is parsed as HTML.
 */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("warehouse-docs-data").textContent);
  const NODES = DATA.nodes;
  const BY_ID = new Map(NODES.map((n) => [n.unique_id, n]));
  const BY_NAME = new Map();
  NODES.forEach((n) => { if (!BY_NAME.has(n.name)) BY_NAME.set(n.name, n); });
  const CHILDREN = new Map(NODES.map((n) => [n.unique_id, []]));
  NODES.forEach((n) => n.depends_on.forEach((p) => { if (CHILDREN.has(p)) CHILDREN.get(p).push(n.unique_id); }));
  const LINEAGE = DATA.lineage || {};
  const SUITES = new Map((DATA.suites || []).map((s) => [s.suite, s]));
  const suitesOf = (n) => n.checks.map((name) => SUITES.get(name)).filter(Boolean);
  const USED_BY = new Map();  // "node.column" -> ["child.column", ...]
  Object.entries(LINEAGE).forEach(([model, columns]) => Object.entries(columns).forEach(([column, parents]) =>
    parents.forEach((p) => { if (!USED_BY.has(p)) USED_BY.set(p, []); USED_BY.get(p).push(model + "." + column); })));

  const LAYER_ORDER = ["marts", "intermediate", "staging", "seed", "source"];
  const LAYER_TITLES = { marts: "Marts", intermediate: "Intermediate", staging: "Staging", seed: "Seeds", source: "Sources" };
  const LAYER_COLORS = { marts: "#00897b", intermediate: "#7e57c2", staging: "#1e88e5", seed: "#8d6e63", source: "#6d4c41" };
  const OK = new Set(["success", "pass"]);
  const CHANGES = DATA.changes || [];          // [{build_id, recorded_at, changes: [record]}], newest first
  const changesOf = (name) => CHANGES.flatMap((b) => b.changes.filter((c) => c.name === name)
    .map((c) => Object.assign({ build_id: b.build_id, recorded_at: b.recorded_at }, c)));

  let teardown = [];   // charts and graphs of the current page, destroyed on navigation

  // -- DOM helpers -------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.entries(value).forEach(([k, v]) => { el.dataset[k] = v; });
      else el.setAttribute(key, value === true ? "" : value);
    });
    children.flat(Infinity).forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return el;
  }
  const nodeHref = (uid, column) => "#/node/" + encodeURIComponent(uid) + (column ? "/" + encodeURIComponent(column) : "");
  const lineageHref = (model, column) => "#/lineage/" + encodeURIComponent(model) + "/" + encodeURIComponent(column);
  const layerOf = (node) => (LAYER_COLORS[node.layer] ? node.layer : node.resource_type);
  const colorOf = (node) => LAYER_COLORS[layerOf(node)] || "#78909c";
  const muted = (text) => h("span", { class: "muted", text });
  const fmtInt = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en"));
  const fmtPct = (r) => (r === null || r === undefined ? "–" : (100 * r).toFixed(1) + "%");
  const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : JSON.stringify(v));
  const clip = (text, n) => (text && text.length > n ? text.slice(0, n - 1) + "…" : text);
  const fmtUsd = (v) => "US$ " + Math.round(v).toLocaleString("en");

  function badge(status, title) {
    if (!status) return null;
    const kind = OK.has(status) ? "ok" : status === "warn" ? "warn" : status === "skipped" || status === "not run" ? "skip" : "bad";
    return h("span", { class: "badge " + kind, title: title || status, text: status });
  }
  function nodeLink(uid, column) {
    const node = BY_ID.get(uid);
    const label = (node ? node.name : uid) + (column ? "." + column : "");
    return h("a", { href: nodeHref(uid, column), class: "node-link", text: label });
  }
  function section(title, ...body) {
    return h("section", { class: "card" }, h("h2", { text: title }), ...body);
  }
  function table(headers, rows, attrs) {
    return h("table", attrs || {}, h("thead", {}, h("tr", {}, headers.map((t) => h("th", { text: t })))),
      h("tbody", {}, rows));
  }

  // SQL with light highlighting, one line per row so static-check findings can be marked.
  const SQL_TOKEN = /(--.*$)|('(?:[^']|'')*'?)|(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})|\b(select|from|where|group|by|order|having|qualify|join|left|right|inner|outer|full|cross|on|using|as|with|union|all|distinct|case|when|then|else|end|and|or|not|in|is|null|like|ilike|between|cast|filter|over|partition|limit|asc|desc|nulls|last|first|true|false|exists|coalesce|count|sum|min|max|avg)\b/gi;
  function sqlBlock(sql, marks) {
    const lines = (sql || "").replace(/\s+$/, "").split("\n");
    const pre = h("pre", { class: "sql" });
    lines.forEach((line, i) => {
      const row = h("span", { class: "line", dataset: { line: String(i + 1) } });
      const mark = marks && marks.get(i + 1);
      if (mark) { row.classList.add("marked"); row.title = mark; }
      let last = 0;
      line.replace(SQL_TOKEN, (match, comment, string, jinja, keyword, offset) => {
        if (offset > last) row.appendChild(document.createTextNode(line.slice(last, offset)));
        const cls = comment ? "c" : string ? "s" : jinja ? "j" : "k";
        row.appendChild(h("span", { class: cls, text: match }));
        last = offset + match.length;
        return match;
      });
      if (last < line.length) row.appendChild(document.createTextNode(line.slice(last)));
      pre.appendChild(row);
    });
    return pre;
  }

  // -- sidebar -----------------------------------------------------------------------------------
  function buildSidebar() {
    const list = document.getElementById("model-list");
    const groups = new Map();
    NODES.forEach((n) => {
      const key = layerOf(n);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(n);
    });
    const keys = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    keys.forEach((key) => {
      const items = groups.get(key).slice().sort((a, b) => a.name.localeCompare(b.name));
      list.appendChild(h("div", { class: "group", dataset: { layer: key } },
        h("h3", {}, h("span", { class: "swatch", style: "background:" + (LAYER_COLORS[key] || "#78909c") }),
          LAYER_TITLES[key] || key, " ", muted("(" + items.length + ")")),
        h("ul", {}, items.map((n) => h("li", {
          dataset: { uid: n.unique_id, type: n.resource_type,
            search: [n.name, n.description, ...n.columns.map((c) => c.name)].join(" ").toLowerCase() },
        }, h("a", { href: nodeHref(n.unique_id), text: n.name }), nodeStatusDot(n))))));
    });
    document.getElementById("search").addEventListener("input", (event) => {
      const q = event.target.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach((li) => { li.hidden = q !== "" && !li.dataset.search.includes(q); });
      list.querySelectorAll(".group").forEach((g) => { g.hidden = !g.querySelector("li:not([hidden])"); });
    });
  }
  function rank(layer) { const i = LAYER_ORDER.indexOf(layer); return i < 0 ? LAYER_ORDER.length : i; }
  function nodeStatusDot(n) {
    const statuses = [n.result && n.result.status, ...n.tests.map((t) => DATA.tests[t] && DATA.tests[t].result && DATA.tests[t].result.status)]
      .filter(Boolean);
    if (n.diagnostics.some((d) => d.severity === "error")) statuses.push("error");
    suitesOf(n).forEach((s) => { if (s.success !== null && s.success !== undefined) statuses.push(s.success ? "pass" : "fail"); });
    if (!statuses.length) return null;
    const bad = statuses.find((s) => !OK.has(s) && s !== "warn");
    const worst = bad || (statuses.includes("warn") ? "warn" : "pass");
    return h("span", { class: "dot " + (OK.has(worst) ? "ok" : worst === "warn" ? "warn" : "bad"), title: "last result: " + worst });
  }
  function markCurrent(uid) {
    document.querySelectorAll("#model-list li").forEach((li) => li.classList.toggle("current", li.dataset.uid === uid));
  }

  // -- pages -------------------------------------------------------------------------------------
  function overview() {
    const counts = {};
    NODES.forEach((n) => { counts[n.resource_type] = (counts[n.resource_type] || 0) + 1; });
    const tests = Object.values(DATA.tests);
    const byStatus = {};
    tests.forEach((t) => { const s = t.result ? t.result.status : "not run"; byStatus[s] = (byStatus[s] || 0) + 1; });
    const run = DATA.run;
    const findings = NODES.flatMap((n) => n.diagnostics.map((d) => ({ node: n, d })));
    const marts = NODES.filter((n) => n.layer === "marts").sort((a, b) => a.name.localeCompare(b.name));
    const failing = Object.entries(DATA.tests).filter(([, t]) => t.result && !OK.has(t.result.status));
    return [
      h("h1", { text: DATA.project }),
      h("p", { class: "lede" },
        `${counts.model || 0} models, ${counts.seed || 0} seeds, ${counts.source || 0} sources and ${tests.length} tests. `,
        "Docs generated ", h("time", { text: DATA.generated_at }), "; published warehouse ",
        DATA.published.exists ? h("code", { text: DATA.published.path }) : h("strong", { text: "not published yet" }),
        DATA.published.modified_at ? " of " + DATA.published.modified_at : "", "."),
      section("Last run",
        run ? h("p", {}, h("code", { text: run.command }), " ", run.build_id, " at ", run.generated_at, ": ",
          badge(run.status), ` in ${run.elapsed_seconds}s.`) : muted("No target/run_results.json: run `python3 run.py build`."),
        h("p", {}, "Tests: ", Object.entries(byStatus).map(([s, n]) => h("span", { class: "count" }, badge(s), " " + n + " "))),
        DATA.checks_run ? h("p", {}, "Expectation suites: ", badge(DATA.checks_run.success ? "pass" : "fail"),
          " checked " + DATA.checks_run.checked_at) : muted("No expectation results (target/check_results.json)."),
        failing.length ? table(["test", "on", "status", "failing rows", "message"], failing.map(([uid, t]) => testRow(uid, t, true))) : null),
      section("Marts", table(["mart", "description", "rows", "columns"], marts.map((n) =>
        h("tr", {}, h("td", {}, nodeLink(n.unique_id)), h("td", {}, n.description || muted("no description")),
          h("td", { class: "num", text: n.result ? fmtInt(n.result.rows) : "" }), h("td", { class: "num", text: n.columns.length }))))),
      section("Static checks",
        findings.length ? h("ul", { class: "findings" }, findings.map(({ node, d }) => h("li", { class: d.severity },
          badge(d.severity === "error" ? "error" : "warn"), " ", nodeLink(node.unique_id), ` ${d.kind}: ${d.message}`,
          d.line ? ` (line ${d.line})` : ""))) : h("p", {}, "sqlglot found no unknown tables or columns in any model.")),
      DATA.history.length ? section("Build history", table(["build", "command", "finished", "status", "models", "seeds", "tests passed", "tests warned"],
        DATA.history.map((b) => h("tr", {}, [b.build_id, b.command, b.finished_at, b.status, b.models_built, b.seeds_loaded,
          b.tests_passed, b.tests_warned].map((v) => h("td", { text: v === null ? "" : v })))))) : null,
    ];
  }

  function nodePage(uid, column) {
    const n = BY_ID.get(uid);
    if (!n) return [h("h1", { text: "Not found" }), h("p", {}, "No node ", h("code", { text: uid }), " in this project.")];
    markCurrent(uid);
    const marks = new Map(n.diagnostics.filter((d) => d.line).map((d) => [d.line, `${d.kind}: ${d.message}`]));
    const testsByColumn = new Map();
    n.tests.forEach((t) => {
      const test = DATA.tests[t];
      const key = test && test.column && test.attached_to === uid ? test.column : "";
      if (!testsByColumn.has(key)) testsByColumn.set(key, []);
      testsByColumn.get(key).push(t);
    });
    const hasLineage = (c) => (LINEAGE[n.name] && c in LINEAGE[n.name]) || USED_BY.has(n.name + "." + c);
    const columnRows = n.columns.map((c) => h("tr", {
      dataset: { column: c.name }, class: c.name === column ? "highlight" : null, id: "col-" + c.name,
    },
    h("td", {}, h("code", { text: c.name }), !c.built && n.resource_type !== "source" && n.materialized !== "ephemeral"
      ? h("span", { class: "tag warn", title: "documented but not in the published warehouse", text: "not built" }) : null),
    h("td", {}, c.type ? h("code", { text: c.type }) : c.declared_type ? h("code", { class: "muted", text: c.declared_type }) : muted("–")),
    h("td", {}, c.description || (c.documented ? "" : muted("undocumented"))),
    h("td", {}, (testsByColumn.get(c.name) || []).map((t) => testChip(t))),
    h("td", {}, hasLineage(c.name) ? h("a", { href: lineageHref(n.name, c.name), class: "lineage-link", text: "lineage" }) : null)));
    const parents = n.depends_on.map((p) => nodeLink(p));
    const children = (CHILDREN.get(uid) || []).map((c) => nodeLink(c));
    const nodeTests = n.tests.map((t) => testRow(t, DATA.tests[t], false));
    const out = [
      h("h1", {}, h("span", { class: "swatch big", style: "background:" + colorOf(n) }), n.name),
      h("p", { class: "meta" },
        h("span", { class: "tag", text: n.resource_type }), n.resource_type === "model" ? h("span", { class: "tag", text: n.materialized }) : null,
        n.tags.map((t) => h("span", { class: "tag light", text: t })), " ",
        h("code", { text: n.relation }), n.path ? [" · ", h("code", { text: n.path })] : null,
        n.properties_path ? [" · documented in ", h("code", { text: n.properties_path })] : null,
        " · ", h("a", { href: "#/graph/" + encodeURIComponent(uid), text: "show in graph" })),
      n.description ? h("p", { class: "description", text: n.description }) : h("p", { class: "description" }, muted("No description yet.")),
      n.result ? h("p", { class: "result" }, "Last run: ", badge(n.result.status),
        n.result.rows !== null ? ` ${fmtInt(n.result.rows)} rows` : "", n.result.seconds ? `, ${n.result.seconds}s` : "",
        n.result.message ? [" — ", h("span", { class: "message", text: n.result.message })] : null) : null,
      n.diagnostics.length ? section("Static check", h("ul", { class: "findings" }, n.diagnostics.map((d) =>
        h("li", { class: d.severity }, badge(d.severity === "error" ? "error" : "warn"), " ", h("code", { text: d.text }),
          d.hint ? h("div", { class: "hint", text: "hint: " + d.hint }) : null)))) : null,
      section("Columns (" + n.columns.length + ")",
        n.columns.length ? table(["column", "type", "description", "tests", ""], columnRows, { id: "columns", class: "columns" })
          : muted("Columns unknown: the node is not in the published warehouse and static analysis could not list them.")),
      section("Depends on", parents.length ? h("p", { class: "links" }, parents) : muted("nothing: it is loaded from a file")),
      section("Used by", children.length ? h("p", { class: "links" }, children) : muted("no model reads it")),
      section("Tests (" + n.tests.length + ")", nodeTests.length
        ? table(["test", "on", "status", "failing rows", "message"], nodeTests, { id: "node-tests" }) : muted("No tests.")),
      n.checks.length ? section("Expectation suites (" + n.checks.length + ")", suitesOf(n).map(suiteBlock)) : null,
      recentChanges(n),
      n.compiled_sql ? Object.assign(section("Compiled SQL", sqlBlock(n.compiled_sql)), { id: "compiled-sql" }) : null,
      n.raw_sql ? h("details", { class: "card", open: marks.size > 0 }, h("summary", { text: "Source (Jinja SQL)" + (n.static_check ? "" : " — static check off") }),
        sqlBlock(n.raw_sql, marks)) : null,
    ];
    if (column) setTimeout(() => { const row = document.getElementById("col-" + column); if (row) row.scrollIntoView({ block: "center" }); }, 0);
    return out;
  }

  function testChip(uid) {
    const t = DATA.tests[uid];
    if (!t) return null;
    const status = t.result ? t.result.status : "not run";
    const label = t.test_name || t.name;
    return h("span", { class: "chip " + (OK.has(status) ? "ok" : status === "warn" ? "warn" : status === "not run" ? "" : "bad"),
      title: `${t.name}: ${status}` + (t.severity === "warn" ? " (severity warn)" : ""), text: label });
  }

  function testRow(uid, t, withModel) {
    const status = t.result ? t.result.status : null;
    const on = t.attached_to ? nodeLink(t.attached_to, t.column) : t.depends_on.map((d) => nodeLink(d));
    const args = Object.entries(t.kwargs || {}).map(([k, v]) => `${k}=${show(v)}`).join(", ");
    return h("tr", { dataset: { test: uid } },
      h("td", {}, h("details", {}, h("summary", {}, h("code", { text: t.test_name || t.name }), args ? muted(" " + args) : null,
        t.severity === "warn" ? h("span", { class: "tag light", text: "warn only" }) : null),
      h("div", { class: "muted small", text: t.name + (t.path ? ` — ${t.path}` + (t.line ? `:${t.line}` : "") : "") }),
      t.sql ? sqlBlock(t.sql) : muted("SQL not available"))),
      h("td", {}, withModel || !t.attached_to ? on : t.column ? h("code", { text: t.column }) : muted("model")),
      h("td", {}, status ? badge(status) : muted("not run")),
      h("td", { class: "num", text: t.result && t.result.rows ? fmtInt(t.result.rows) : "" }),
      h("td", { class: "message", text: t.result ? t.result.message || "" : "" }));
  }

  function suiteBlock(s) {
    const ran = s.success !== null && s.success !== undefined;
    return h("div", { class: "suite", dataset: { suite: s.suite } },
      h("h3", {}, s.suite, " ", ran ? badge(s.success ? "pass" : "fail") : badge("not run"),
        muted(ran ? ` ${s.path || ""} path, ${s.seconds ? s.seconds.toFixed(3) : "?"}s` : ""), s.file ? muted(" · " + s.file) : null),
      s.model ? h("p", { class: "small" }, "On ", BY_NAME.has(s.model) ? nodeLink(BY_NAME.get(s.model).unique_id) : h("code", { text: s.model }))
        : s.query ? h("details", { class: "small" }, h("summary", {}, "On a query reading ",
          (s.reads || []).map((r) => (BY_NAME.has(r) ? [nodeLink(BY_NAME.get(r).unique_id), " "] : [h("code", { text: r }), " "]))), sqlBlock(s.query)) : null,
      table(["#", "expectation", "column", "severity", "result", "unexpected", "observed"], s.expectations.map((e) => {
        const status = e.ran === false || (!ran && e.success === null) ? "not run" : e.exception ? "error" : e.success ? "pass" : e.severity === "critical" ? "fail" : "warn";
        const args = Object.entries(e.kwargs || {}).filter(([k]) => k !== "column").map(([k, v]) => `${k}=${show(v)}`).join(", ");
        return h("tr", {}, h("td", { text: e.index }), h("td", {}, h("code", { text: e.type }), args ? h("div", { class: "muted small", text: args }) : null),
          h("td", { text: e.column || "" }), h("td", { text: e.severity }), h("td", {}, badge(status, e.exception || "")),
          h("td", { class: "num", text: e.unexpected_count === null || e.unexpected_count === undefined ? "" : `${fmtInt(e.unexpected_count)}` + (e.unexpected_percent ? ` (${e.unexpected_percent.toFixed(2)}%)` : "") }),
          h("td", { class: "small observed", text: clip(e.observed_value === null || e.observed_value === undefined ? (e.partial_unexpected_list || []).slice(0, 5).map(show).join(", ") : show(e.observed_value), 240) }));
      })));
  }

  function testsPage() {
    const entries = Object.entries(DATA.tests);
    const order = (t) => (t.result ? (OK.has(t.result.status) ? 2 : t.result.status === "warn" ? 1 : 0) : 3);
    entries.sort((a, b) => order(a[1]) - order(b[1]) || a[1].name.localeCompare(b[1].name));
    const suites = DATA.suites || [];
    return [
      h("h1", { text: "Tests & checks" }),
      h("p", { class: "lede" }, `${entries.length} data tests (failures first)` + (suites.length ? ` and ${suites.length} expectation suites.` : ".")),
      suites.length ? section("Expectation suites", suites.map(suiteBlock)) : null,
      section("Data tests", table(["test", "on", "status", "failing rows", "message"], entries.map(([uid, t]) => testRow(uid, t, true)), { id: "all-tests" })),
    ];
  }

  // -- model graph -------------------------------------------------------------------------------
  function layered(ids, parentsOf) {
    // Rank = longest path from a root; order within a rank by the mean position of parents.
    const rankOf = new Map();
    const visit = (id, stack) => {
      if (rankOf.has(id)) return rankOf.get(id);
      if (stack.has(id)) return 0;
      stack.add(id);
      const ps = parentsOf(id).filter((p) => ids.has(p));
      const r = ps.length ? Math.max(...ps.map((p) => visit(p, stack))) + 1 : 0;
      stack.delete(id);
      rankOf.set(id, r);
      return r;
    };
    ids.forEach((id) => visit(id, new Set()));
    const columns = [];
    ids.forEach((id) => { const r = rankOf.get(id); (columns[r] = columns[r] || []).push(id); });
    const pos = new Map();
    columns.forEach((col, r) => {
      if (r > 0) {
        const score = (id) => { const ps = parentsOf(id).filter((p) => pos.has(p)); return ps.length ? ps.reduce((a, p) => a + pos.get(p), 0) / ps.length : 0; };
        col.sort((a, b) => score(a) - score(b));
      }
      col.forEach((id, i) => pos.set(id, i - (col.length - 1) / 2));
    });
    return { rankOf, pos };
  }

  const labelWidth = (text) => text.length * 6.6 + 18;
  function columnOffsets(widths) {
    // x of each column's centre, so that columns of long labels never overlap
    const xs = [];
    let x = 0;
    widths.forEach((w, i) => { x += i ? (widths[i - 1] + (w || 0)) / 2 + 70 : 0; xs.push(x); });
    return xs;
  }

  function cytoscapeGraph(container, elements, onTap) {
    // eslint-disable-next-line no-undef
    const cy = cytoscape({
      container, elements, layout: { name: "preset", fit: true, padding: 24 }, minZoom: 0.1, maxZoom: 3,
      style: [
        { selector: "node", style: { shape: "round-rectangle", width: "data(w)", height: 26, "background-color": "data(color)",
          label: "data(label)", color: "#fff", "font-size": 11, "text-valign": "center", "text-halign": "center", "font-family": "system-ui, sans-serif" } },
        { selector: "node.focus", style: { "border-width": 3, "border-color": "#ffb300" } },
        { selector: "node.relation", style: { shape: "rectangle" } },
        { selector: "node.unknown", style: { "background-color": "#b0bec5", color: "#263238" } },
        { selector: "edge", style: { width: 1.2, "line-color": "#b0bec5", "target-arrow-color": "#b0bec5", "target-arrow-shape": "triangle",
          "curve-style": "bezier", "arrow-scale": 0.8 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#263238" } },
      ],
    });
    cy.on("tap", "node", (event) => onTap(event.target.data()));
    teardown.push(() => cy.destroy());
    container.cy = cy;
    return cy;
  }

  function graphPage(focus) {
    let ids = new Set(NODES.map((n) => n.unique_id));
    const parentsOf = (id) => (BY_ID.get(id) ? BY_ID.get(id).depends_on : []);
    if (focus && BY_ID.has(focus)) {
      const keep = new Set([focus]);
      const walk = (id, next) => next(id).forEach((o) => { if (!keep.has(o)) { keep.add(o); walk(o, next); } });
      walk(focus, parentsOf);
      walk(focus, (id) => CHILDREN.get(id) || []);
      ids = keep;
    }
    const { rankOf, pos } = layered(ids, parentsOf);
    const widths = [];
    ids.forEach((id) => { const r = rankOf.get(id); widths[r] = Math.max(widths[r] || 0, labelWidth(BY_ID.get(id).name)); });
    const xOf = columnOffsets(widths);
    const elements = [];
    ids.forEach((id) => {
      const n = BY_ID.get(id);
      elements.push({ group: "nodes", data: { id, label: n.name, w: labelWidth(n.name), color: colorOf(n) },
        position: { x: xOf[rankOf.get(id)], y: pos.get(id) * 40 }, classes: id === focus ? "focus" : "" });
      n.depends_on.filter((p) => ids.has(p)).forEach((p) => elements.push({ group: "edges", data: { id: p + "->" + id, source: p, target: id } }));
    });
    const container = h("div", { id: "graph", class: "graph" });
    const legend = h("p", { class: "legend" }, Object.entries(LAYER_TITLES).map(([k, t]) =>
      h("span", {}, h("span", { class: "swatch", style: "background:" + LAYER_COLORS[k] }), t + " ")));
    setTimeout(() => cytoscapeGraph(container, elements, (d) => { location.hash = nodeHref(d.id); }), 0);
    return [
      h("h1", {}, "Model graph", focus && BY_ID.has(focus) ? [": ", nodeLink(focus), muted(" with its ancestors and descendants")] : null),
      h("p", { class: "lede" }, "Seeds and sources on the left, marts on the right. Click a node to open it; scroll to zoom, drag to pan.",
        focus ? [" ", h("a", { href: "#/graph", text: "Show the whole graph." })] : null),
      legend, container,
    ];
  }

  // -- column lineage ----------------------------------------------------------------------------
  function lineageTree(model, column, seen) {
    const name = model + "." + column;
    const node = BY_NAME.get(model);
    const kind = LINEAGE[model] ? "model" : node && node.resource_type !== "model" ? "relation" : "unknown";
    const tree = { name, model, column, kind, upstream: [] };
    if (seen.has(name)) return tree;
    const next = new Set(seen).add(name);
    ((LINEAGE[model] || {})[column] || []).forEach((parent) => {
      const dot = parent.indexOf(".");
      tree.upstream.push(lineageTree(parent.slice(0, dot), parent.slice(dot + 1), next));
    });
    return tree;
  }

  function lineagePage(model, column) {
    const models = NODES.filter((n) => LINEAGE[n.name]).sort((a, b) => rank(layerOf(a)) - rank(layerOf(b)) || a.name.localeCompare(b.name));
    if (!model || !LINEAGE[model]) {
      // where to open is the project's choice (docs_site.yml `lineage_start`), else the first model
      const start = (DATA.lineage_start || []).find((s) => LINEAGE[s.model]);
      const preferred = start ? start.model : models[0] && models[0].name;
      model = model && BY_NAME.has(model) && !LINEAGE[model] ? model : preferred;
      column = null;
    }
    const columns = model && LINEAGE[model] ? Object.keys(LINEAGE[model]) : [];
    const declared = (DATA.lineage_start || []).find((s) => s.model === model && s.column);
    if (model && !column) column = declared && columns.includes(declared.column) ? declared.column : columns[0];
    const modelSelect = h("select", { id: "lineage-model", "aria-label": "model",
      onchange: (e) => { location.hash = lineageHref(e.target.value, Object.keys(LINEAGE[e.target.value])[0] || ""); } },
    models.map((n) => h("option", { value: n.name, selected: n.name === model, text: n.name })));
    const columnSelect = h("select", { id: "lineage-column", "aria-label": "column",
      onchange: (e) => { location.hash = lineageHref(model, e.target.value); } },
    columns.map((c) => h("option", { value: c, selected: c === column, text: c })));
    const head = [h("h1", { text: "Column lineage" }),
      h("p", { class: "lede" }, "Where a column's values come from, down to seed and source columns, from sqlglot's analysis of the compiled SQL. ",
        "Click a column in the graph or the tree to open its model."),
      h("p", { class: "pickers" }, modelSelect, " . ", columnSelect)];
    if (!model || !column) return [...head, muted("No lineage: the static analysis found no model columns.")];

    const tree = lineageTree(model, column, new Set());
    const depth = new Map();
    const edges = new Set();
    const info = new Map();
    const walk = (t, d) => {
      depth.set(t.name, Math.max(depth.get(t.name) || 0, d));
      info.set(t.name, t);
      t.upstream.forEach((u) => { edges.add(u.name + "\u0000" + t.name); walk(u, d + 1); });
    };
    walk(tree, 0);
    const maxDepth = Math.max(...depth.values());
    const byDepth = [];
    depth.forEach((d, name) => { (byDepth[d] = byDepth[d] || []).push(name); });
    const elements = [];
    const xOf = columnOffsets(byDepth.map((names) => Math.max(...names.map(labelWidth))).reverse());
    byDepth.forEach((names, d) => names.forEach((name, i) => {
      const t = info.get(name);
      const node = BY_NAME.get(t.model);
      elements.push({ group: "nodes", data: { id: name, label: name, model: t.model, column: t.column,
        w: labelWidth(name), color: node ? colorOf(node) : "#b0bec5" },
      position: { x: xOf[maxDepth - d], y: (i - (names.length - 1) / 2) * 44 },
      classes: [t.kind, name === tree.name ? "focus" : ""].join(" ") });
    }));
    edges.forEach((e) => { const [s, t] = e.split("\u0000"); elements.push({ group: "edges", data: { id: e, source: s, target: t } }); });
    const container = h("div", { id: "lineage-graph", class: "graph small" });
    setTimeout(() => cytoscapeGraph(container, elements, (d) => {
      const node = BY_NAME.get(d.model);
      if (node) location.hash = nodeHref(node.unique_id, d.column);
    }), 0);

    const leaves = [...info.values()].filter((t) => !t.upstream.length);
    const usedBy = USED_BY.get(tree.name) || [];
    return [...head, container,
      h("div", { class: "columns2" },
        section("Upstream tree", h("ul", { id: "lineage-tree", class: "tree" }, treeItem(tree))),
        h("div", {},
          section("Comes from (" + leaves.length + ")", h("ul", { id: "lineage-sources" }, leaves.map((t) => h("li", { dataset: { name: t.name } },
            columnLink(t), " ", muted(t.kind === "relation" ? (BY_NAME.get(t.model) || {}).resource_type || "relation" : t.kind))))),
          section("Used by", usedBy.length ? h("ul", { id: "lineage-used-by" }, usedBy.map((name) => {
            const dot = name.indexOf(".");
            return h("li", {}, h("a", { href: lineageHref(name.slice(0, dot), name.slice(dot + 1)), text: name }));
          })) : muted("no model column reads it"))))];
  }

  function columnLink(t) {
    const node = BY_NAME.get(t.model);
    return node ? h("a", { href: nodeHref(node.unique_id, t.column), text: t.name }) : h("span", { text: t.name });
  }

  function treeItem(t) {
    const node = BY_NAME.get(t.model);
    return h("li", { dataset: { name: t.name, kind: t.kind } },
      h("span", { class: "swatch", style: "background:" + (node ? colorOf(node) : "#b0bec5") }), columnLink(t),
      t.kind === "model" && t.upstream.length ? null : muted(" " + (t.kind === "model" ? "(no upstream column: a constant or count(*))" : t.kind === "relation" ? "(" + ((node || {}).resource_type || "relation") + ")" : "(unknown)")),
      t.kind === "model" ? h("a", { class: "reroot", href: lineageHref(t.model, t.column), title: "lineage of this column", text: "↺" }) : null,
      t.upstream.length ? h("ul", {}, t.upstream.map(treeItem)) : null);
  }

  // -- charts ------------------------------------------------------------------------------------
  // Chart kinds (warehouse/docs/charts.py); what is charted, with which labels, the project declares.
  const KINDS = { rates_by_group: completionCharts, cost_by_status: budgetChart };

  function chartsPage() {
    return [h("h1", { text: "Charts" }),
      h("p", { class: "lede" }, "Read from the published warehouse when these docs were generated (" + DATA.generated_at + ")."),
      h("div", { id: "charts" }, DATA.charts.map(chartCard))];
  }

  function chartCard(chart) {
    const card = h("section", { class: "card chart", dataset: { chart: chart.id } }, h("h2", { text: chart.title }));
    if (chart.skipped) {
      card.classList.add("skipped");
      card.appendChild(h("p", { class: "note" }, "Not drawn: ", chart.skipped, "."));
      return card;
    }
    if (chart.subtitle) card.appendChild(h("p", { class: "subtitle", text: chart.subtitle }));
    const draw = KINDS[chart.kind] || null;
    if (draw) draw(card, chart.data);
    if (chart.data && chart.data.left_out && Object.keys(chart.data.left_out).length) {
      card.appendChild(h("p", { class: "note" }, "Not in the bars: " + Object.entries(chart.data.left_out)
        .map(([basis, n]) => `${n} action${n === 1 ? "" : "s"} ${basis === "no_figure" ? "without a figure" : "costed " + basis.replace("_", " ")}`).join(", ") + "."));
    }
    if (chart.note) card.appendChild(h("p", { class: "note", text: chart.note }));
    card.appendChild(h("details", {}, h("summary", {}, "From ", h("code", { text: chart.source })), sqlBlock(chart.query)));
    return card;
  }

  // Text at the end of each bar (or stack): Chart.js has no data labels without a plugin.
  const barLabels = {
    id: "barLabels",
    afterDatasetsDraw(chart, args, options) {
      if (!options || !options.text) return;
      const { ctx, chartArea } = chart;
      const metas = chart.data.datasets.map((d, i) => chart.getDatasetMeta(i)).filter((m) => !m.hidden);
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      chart.data.labels.forEach((label, i) => {
        const bars = metas.map((m) => m.data[i]).filter(Boolean);
        if (!bars.length) return;
        const end = Math.max(...bars.map((b) => b.x));
        const text = options.text(i);
        const width = ctx.measureText(text).width;
        const inside = end + 6 + width > chartArea.right;
        ctx.fillStyle = inside ? "#fff" : "#37474f";
        ctx.textAlign = inside ? "right" : "left";
        ctx.fillText(text, inside ? end - 6 : end + 6, bars[0].y);
      });
      ctx.restore();
    },
  };

  function wrap(label, width) {
    const lines = [];
    let line = "";
    String(label).split(/\s+/).forEach((word) => {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function canvasBox(height) {
    const canvas = h("canvas");
    return { box: h("div", { class: "canvas-box", style: `height:${height}px` }, canvas), canvas };
  }

  function newChart(canvas, config) {
    // eslint-disable-next-line no-undef
    const chart = new Chart(canvas, config);
    teardown.push(() => chart.destroy());
    return chart;
  }

  function completionCharts(card, data) {
    data.plans.forEach((plan) => {
      card.appendChild(h("h3", {}, plan.plan_code, muted(` — ${fmtInt(plan.completed)} of ${fmtInt(plan.actions)} actions completed (${fmtPct(plan.rate)})`)));
      const { box, canvas } = canvasBox(60 + plan.categories.reduce((a, c) => a + (c.category.length > 40 ? 44 : 32), 0));
      card.appendChild(box);
      setTimeout(() => newChart(canvas, {
        type: "bar",
        plugins: [barLabels],
        data: { labels: plan.categories.map((c) => wrap(c.category, 40)),
          datasets: [{ label: "completed", data: plan.categories.map((c) => (c.rate === null ? 0 : 100 * c.rate)),
            backgroundColor: plan.categories.map((c) => (c.rate >= plan.rate ? "#00897b" : "#80cbc4")) }] },
        options: { indexAxis: "y", animation: false, maintainAspectRatio: false, responsive: true,
          scales: { x: { min: 0, max: 100, title: { display: true, text: "% of actions completed" } }, y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false },
            barLabels: { text: (i) => { const c = plan.categories[i]; return `${fmtPct(c.rate)} (${c.completed}/${c.actions})`; } },
            tooltip: { callbacks: { label: (ctx) => { const c = plan.categories[ctx.dataIndex]; return `${c.completed} of ${c.actions} actions completed (${fmtPct(c.rate)})`; } } } } },
      }), 0);
    });
    card.appendChild(h("p", { class: "note", text: "Darker bars: categories at or above their plan's overall rate." }));
  }

  function budgetChart(card, data) {
    const cats = data.categories.filter((c) => Object.keys(c.by_status).length);
    const { box, canvas } = canvasBox(80 + 34 * cats.length);
    card.appendChild(box);
    const datasets = data.statuses.filter((s) => cats.some((c) => c.by_status[s])).map((s) => ({
      label: (data.labels || {})[s] || s, backgroundColor: (data.colors || {})[s] || "#90a4ae",
      data: cats.map((c) => (c.by_status[s] ? c.by_status[s].high : 0)), status: s }));
    setTimeout(() => newChart(canvas, {
      type: "bar",
      plugins: [barLabels],
      data: { labels: cats.map((c) => wrap(c.category, 40)), datasets },
      options: { indexAxis: "y", animation: false, maintainAspectRatio: false, responsive: true,
        scales: { x: { stacked: true, title: { display: !!data.axis, text: data.axis || "" },
          ticks: { callback: (v) => (v >= 1e6 ? v / 1e6 + "M" : v >= 1e3 ? v / 1e3 + "k" : v) } }, y: { stacked: true, ticks: { autoSkip: false } } },
        plugins: {
          barLabels: { text: (i) => fmtUsd(Object.values(cats[i].by_status).reduce((a, v) => a + v.high, 0)) },
          tooltip: { callbacks: { label: (ctx) => {
          const cell = cats[ctx.dataIndex].by_status[ctx.dataset.status];
          if (!cell) return "";
          const range = cell.low === cell.high ? fmtUsd(cell.high) : `${fmtUsd(cell.low)} – ${fmtUsd(cell.high)}`;
          return `${ctx.dataset.label}: ${range} (${cell.actions} action${cell.actions === 1 ? "" : "s"})`;
        } } } } },
    }), 0);
  }

  // -- what changed -------------------------------------------------------------------------------
  const changeHref = (build) => "#/changes/" + encodeURIComponent(build);
  function recentChanges(n) {
    const mine = changesOf(n.name).slice(0, 5);
    return Object.assign(section("Recent changes", mine.length
      ? table(["build", "change", "gates"], mine.map((c) => h("tr", {},
        h("td", {}, h("a", { href: changeHref(c.build_id), text: c.build_id })),
        h("td", { text: c.summary.split(": ").slice(1).join(": ") }),
        h("td", { text: (c.gates || []).map((g) => g.outcome + ": " + g.message).join("; ") }))), { id: "node-changes" })
      : muted("No change recorded in the builds kept in _warehouse_changes.")), { id: "recent-changes" });
  }
  function changeDetail(c) {
    const node = BY_NAME.get(c.name);
    const rows = c.rows || {};
    const examples = rows.examples || {};
    const changed = (examples.changed || []).flatMap((e) => Object.entries(e.changes).map(([col, [before, after]]) =>
      h("tr", {}, h("td", { text: Object.entries(e.key).map(([k, v]) => k + "=" + v).join(", ") }),
        h("td", {}, h("code", { text: col })), h("td", { text: String(before) }), h("td", { text: String(after) }))));
    const listed = ["added", "removed"].flatMap((kind) => (examples[kind] || []).map((r) =>
      h("li", {}, h("span", { class: "tag light", text: kind }), " ", h("code", { text: JSON.stringify(r) }))));
    return h("div", { class: "card change", dataset: { model: c.name } },
      h("h3", {}, node ? nodeLink(node.unique_id) : c.name, " ", h("span", { class: "tag", text: c.status })),
      h("p", { text: c.summary }),
      h("p", { class: "meta" }, `rows ${c.rows_before === null ? "–" : fmtInt(c.rows_before)} → ${c.rows_after === null ? "–" : fmtInt(c.rows_after)}`,
        c.key_source ? " · matched on " + (rows.key && rows.key.length ? rows.key.join(", ") + " (" + c.key_source + ")" : c.key_source) : "",
        rows.note ? " · " + rows.note : ""),
      (c.gates || []).length ? h("ul", { class: "findings" }, c.gates.map((g) => h("li", {}, badge(g.outcome === "blocked" ? "fail" : "warn"), " " + g.message))) : null,
      changed.length ? table(["key", "column", "before", "after"], changed) : null,
      listed.length ? h("ul", { class: "examples" }, listed) : null);
  }
  function changesPage(build) {
    const builds = build ? CHANGES.filter((b) => b.build_id === build) : CHANGES;
    const quiet = (DATA.history || []).filter((r) => !CHANGES.some((b) => b.build_id === r.build_id));
    return [
      h("h1", { text: build ? "What build " + build + " changed" : "What changed" }),
      h("p", { class: "lede" }, "Each published build compared every model with the version it replaced (",
        h("code", { text: "_warehouse_changes" }), "). ", build ? h("a", { href: "#/changes", text: "All builds." }) : null),
      builds.length ? builds.map((b) => section("Build " + b.build_id + " · " + b.recorded_at + " · " + b.changes.length + " model(s) changed",
        b.changes.map(changeDetail))) : muted(build ? "No changes recorded for this build." : "No changes recorded yet: build twice."),
      !build && quiet.length ? section("Builds that changed nothing", h("p", {}, quiet.map((r) => h("code", { text: r.build_id + " " })))) : null,
    ];
  }

  // -- router ------------------------------------------------------------------------------------
  function route() {
    teardown.forEach((fn) => { try { fn(); } catch (e) { /* already gone */ } });
    teardown = [];
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    const page = parts[0] || "overview";
    const content = document.getElementById("content");
    content.replaceChildren();
    markCurrent(null);
    let body;
    if (page === "node") body = nodePage(parts[1], parts[2]);
    else if (page === "graph") body = graphPage(parts[1]);
    else if (page === "lineage") body = lineagePage(parts[1], parts[2]);
    else if (page === "charts") body = chartsPage();
    else if (page === "tests") body = testsPage();
    else if (page === "changes") body = changesPage(parts[1]);
    else body = overview();
    [body].flat(Infinity).forEach((el) => { if (el) content.appendChild(el); });
    document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.nav === (page === "node" ? "" : page)));
    document.body.dataset.page = page;
    if (page !== "node" || !parts[2]) window.scrollTo(0, 0);
  }

  function init() {
    buildSidebar();
    const run = DATA.run;
    document.getElementById("run-status").replaceChildren(run
      ? h("span", {}, "last ", h("code", { text: run.command }), " ", badge(run.status), " ", muted(run.generated_at || ""))
      : muted("no run results yet"));
    window.addEventListener("hashchange", route);
    route();
    document.body.dataset.ready = "true";
  }

  init();
})();
