/* staticflops report: draws the data embedded in the page (#report-data) as SVG and a table.
   Hand-written, no library, no network: markup is built as escaped strings, events are delegated.
   The treemap is laid out without padding, so each leaf's area is exactly its share of the total. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var METRICS = [["flops", DATA.unit || "FLOPs"], ["params", "params"], ["acts", "activations"]];
  var TREEMAP_HEIGHT = 520, NODE_W = 170, NODE_H = 34;
  var STATUS_FILL = { unchanged: "#a9bfd6", changed: "#f2b36b", added: "#7bc47f", removed: "#e88a8a" };
  var state = { model: 0, metric: 0, zoom: [], selected: null, sort: ["index", 1], filter: "" };

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function human(v, unit) {
    if (v === null || v === undefined) return "?";
    var scales = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "K"]];
    for (var i = 0; i < scales.length; i++) {
      if (Math.abs(v) >= scales[i][0]) return trim((v / scales[i][0]).toPrecision(3)) + " " + scales[i][1] + (unit || "");
    }
    return v + (unit ? " " + unit : "");
  }
  function trim(text) { return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, ""); }
  function amount(v, m) { return m === 0 ? human(v, DATA.unit) : human(v) + (m === 1 ? " params" : " elements"); }
  function shape(s) { return s ? s.join("×") : "?"; }
  function full(v) { return v === null || v === undefined ? "?" : v.toLocaleString("en-US"); }
  function $(sel) { return document.querySelector(sel); }

  /* ---- treemap ---- */
  function total(node, m) {
    if (!node.children) return node.v[m];
    if (node._t === undefined || node._m !== m) {
      node._m = m;
      node._t = node.children.reduce(function (s, c) { return s + total(c, m); }, 0);
    }
    return node._t;
  }
  function worst(row, side, scale) {
    var sum = 0, max = 0, min = Infinity;
    row.forEach(function (r) { var a = r.a * scale; sum += a; max = Math.max(max, a); min = Math.min(min, a); });
    var s2 = side * side;
    return Math.max(s2 * max / (sum * sum), (sum * sum) / (s2 * min));
  }
  /* Squarified treemap (Bruls, Huizing, van Wijk): rows along the shorter side, kept while the
     worst aspect ratio improves. Areas are exact: value / sum of values × w × h. */
  function squarify(items, x, y, w, h) {
    var out = [], sum = items.reduce(function (s, i) { return s + i.a; }, 0);
    if (sum <= 0 || w <= 0 || h <= 0) return out;
    var scale = (w * h) / sum, rest = items.slice(), row = [];
    while (rest.length) {
      var side = Math.min(w, h), item = rest[0];
      if (!row.length || worst(row.concat([item]), side, scale) <= worst(row, side, scale)) { row.push(rest.shift()); continue; }
      place();
    }
    if (row.length) place(true);
    return out;
    function place(last) {
      var area = row.reduce(function (s, r) { return s + r.a; }, 0) * scale, pos = 0;
      if (w >= h) {
        var cw = last ? w : area / h;
        row.forEach(function (r) { var rh = (r.a * scale) / cw; out.push({ item: r.item, x: x, y: y + pos, w: cw, h: rh }); pos += rh; });
        x += cw; w -= cw;
      } else {
        var ch = last ? h : area / w;
        row.forEach(function (r) { var rw = (r.a * scale) / ch; out.push({ item: r.item, x: x + pos, y: y, w: rw, h: ch }); pos += rw; });
        y += ch; h -= ch;
      }
      row = [];
    }
  }
  function layoutTree(node, m, x, y, w, h, depth, out) {
    if (!node.children) { out.leaves.push({ node: node, x: x, y: y, w: w, h: h, shade: out.shade }); return; }
    if (depth > 0) out.groups.push({ node: node, x: x, y: y, w: w, h: h, depth: depth });
    var items = node.children.map(function (c) { return { item: c, a: total(c, m) }; })
      .filter(function (i) { return i.a > 0; }).sort(function (a, b) { return b.a - a.a; });
    squarify(items, x, y, w, h).forEach(function (r, i) {
      out.shade = [0, 0.18, 0.09][i % 3];
      layoutTree(r.item, m, r.x, r.y, r.w, r.h, depth + 1, out);
    });
  }
  function colourOf(leaf, layers, shade) {
    if (leaf.layer === null || leaf.layer === undefined) return DATA.colours["other parameters"];
    return lighten(DATA.colours[layers[leaf.layer].family] || "#999999", shade);
  }
  /* Neighbours of one family would merge into one block of colour: siblings alternate in lightness. */
  function lighten(hex, t) {
    var n = parseInt(hex.slice(1), 16), out = [16, 8, 0].map(function (s) {
      var c = (n >> s) & 255;
      return Math.round(c + (255 - c) * t);
    });
    return "#" + out.map(function (c) { return (c < 16 ? "0" : "") + c.toString(16); }).join("");
  }
  /* opts: width, height, layers (index → row, for colours), status (path → added/changed/removed) */
  function treemapSVG(root, m, opts) {
    var out = { leaves: [], groups: [] }, W = opts.width, H = opts.height, parts = [];
    layoutTree(root, m, 0, 0, W, H, 0, out);
    parts.push('<svg class="treemap" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + " " + H + '" data-total="' + total(root, m) + '">');
    out.leaves.forEach(function (r) {
      var n = r.node, status = opts.status ? opts.status[n.path] || "" : "";
      var fill = opts.layers ? colourOf(n, opts.layers, r.shade) : STATUS_FILL[status || "unchanged"];
      var cls = "leaf" + (status ? " " + status : "") + (n.layer !== null && n.layer === state.selected && !opts.status ? " selected" : "");
      parts.push('<rect class="' + cls + '" data-value="' + n.v[m] + '" data-path="' + esc(n.path) + '"' +
        (n.layer === null || n.layer === undefined ? "" : ' data-layer="' + n.layer + '"') +
        ' x="' + r.x.toFixed(3) + '" y="' + r.y.toFixed(3) + '" width="' + r.w.toFixed(3) + '" height="' + r.h.toFixed(3) +
        '" fill="' + fill + '"><title>' + esc((n.path || n.name) + (status ? " (" + status + ")" : "") + ": " + amount(n.v[m], m)) + "</title></rect>");
      if (r.w > 46 && r.h > 13) parts.push('<text x="' + (r.x + 3).toFixed(1) + '" y="' + (r.y + 11).toFixed(1) + '">' + esc(clip(n.name, r.w / 6)) + "</text>");
    });
    out.groups.filter(function (g) { return g.depth <= 2; }).forEach(function (g) {
      parts.push('<rect class="group" x="' + g.x.toFixed(3) + '" y="' + g.y.toFixed(3) + '" width="' + g.w.toFixed(3) + '" height="' + g.h.toFixed(3) + '"></rect>');
      if (g.depth === 1 && g.w > 50 && g.h > 26) {
        parts.push('<text class="group-label" data-zoom="' + esc(g.node.path) + '" x="' + (g.x + 3).toFixed(1) + '" y="' + (g.y + 23).toFixed(1) +
          '">' + esc(clip(g.node.name + " " + human(total(g.node, m)), g.w / 6.5)) + "</text>");
      }
    });
    parts.push("</svg>");
    return parts.join("");
  }
  function clip(text, chars) { chars = Math.max(3, Math.floor(chars)); return text.length > chars ? text.slice(0, chars - 1) + "…" : text; }
  function leavesOf(node) {
    return node.children ? node.children.reduce(function (all, c) { return all.concat(leavesOf(c)); }, []) : [node];
  }
  function findPath(node, path) {
    if (node.path === path && node.children) return node;
    for (var i = 0; node.children && i < node.children.length; i++) { var f = findPath(node.children[i], path); if (f) return f; }
    return null;
  }

  /* ---- one model ---- */
  function model() { return DATA.models[state.model]; }
  function zoomRoot() { var z = state.zoom; return z.length ? z[z.length - 1] : model().tree; }

  function drawTreemap() {
    var box = $("#treemap"), mdl = model(), m = state.metric;
    if (!box) return;
    var crumbs = [mdl.tree].concat(state.zoom).map(function (n, i) {
      return '<button data-crumb="' + i + '">' + esc(n.name || mdl.name) + "</button>";
    }).join("›");
    $("#crumbs").innerHTML = crumbs;
    var width = Math.max(300, box.clientWidth || 800);
    var unknown = leavesOf(zoomRoot()).filter(function (leaf) {
      var row = leaf.layer === null || leaf.layer === undefined ? null : mdl.layers[leaf.layer];
      return row && (m === 0 ? row.flops === null : m === 2 ? row.output === null : false);
    }).length;
    box.innerHTML = treemapSVG(zoomRoot(), m, { width: width, height: TREEMAP_HEIGHT, layers: mdl.layers }) +
      (total(zoomRoot(), m) ? "" : "<p>Nothing to show: every call here counts 0 " + esc(METRICS[m][1]) + ".</p>") +
      (unknown ? '<p class="lower" id="unknown-note">' + unknown + " call" + (unknown > 1 ? "s" : "") + " of unknown " +
        esc(METRICS[m][1]) + " not drawn: the total is a lower bound (see the diagnostics).</p>" : "");
    document.querySelectorAll(".metric button").forEach(function (b) { b.classList.toggle("on", +b.dataset.metric === m); });
  }

  function drawGraph() {
    var g = model().graph, parts = [];
    parts.push('<svg width="' + g.width + '" height="' + g.height + '">');
    var at = {};
    g.nodes.forEach(function (n) { at[n.id] = n; });
    g.edges.forEach(function (e) {
      var a = at[e[0]], b = at[e[1]], y1 = a.y + NODE_H / 2, y2 = b.y - NODE_H / 2, bend = Math.max(20, (y2 - y1) / 2);
      var side = Math.abs(a.x - b.x) < 1 && y2 - y1 > 60 ? NODE_W / 2 + 18 : 0; /* a skip over a straight column goes round it */
      parts.push('<path d="M' + a.x + "," + y1 + " C" + (a.x + side) + "," + (y1 + bend) + " " + (b.x + side) + "," + (y2 - bend) + " " + b.x + "," + y2 + '"></path>');
    });
    g.nodes.forEach(function (n) {
      var row = n.layer === null ? null : model().layers[n.layer];
      var stripe = row ? DATA.colours[row.family] : "#333";
      parts.push('<g class="node' + (n.layer !== null && n.layer === state.selected ? " selected" : "") + '" data-node="' + esc(n.id) + '"' +
        (n.layer === null ? "" : ' data-layer="' + n.layer + '"') + ">" +
        "<title>" + esc(n.label.join("\n")) + "</title>" +
        '<rect x="' + (n.x - NODE_W / 2) + '" y="' + (n.y - NODE_H / 2) + '" width="' + NODE_W + '" height="' + NODE_H + '" rx="5" fill="' + n.fill + '"></rect>' +
        '<rect x="' + (n.x - NODE_W / 2) + '" y="' + (n.y - NODE_H / 2) + '" width="5" height="' + NODE_H + '" fill="' + stripe + '" stroke="none"></rect>' +
        '<text x="' + (n.x - NODE_W / 2 + 9) + '" y="' + (n.y - 3) + '">' + esc(clip(n.label[0], 27)) + "</text>" +
        '<text x="' + (n.x - NODE_W / 2 + 9) + '" y="' + (n.y + 11) + '">' + esc(clip(n.label[1] + (n.label[3] ? " · " + n.label[3] : ""), 27)) + "</text></g>");
    });
    parts.push("</svg>");
    $("#graph").innerHTML = parts.join("");
  }

  var COLUMNS = [
    ["index", "#", true], ["path", "layer", false], ["type", "type", false], ["line", "line", true],
    ["inputs", "input", false], ["output", "output", false], ["params", "params", true],
    ["flops", DATA.unit || "FLOPs", true], ["macs", "MACs", true], ["share", "share", true], ["activations", "activations", true]
  ];
  function cell(row, key) {
    switch (key) {
      case "inputs": return row.inputs.map(shape).join(", ");
      case "output": return shape(row.output);
      case "line": return row.line + (row.call_line && row.call_line !== row.line ? " (" + row.call_line + ")" : "");
      case "share": return row.share === null ? "?" : (100 * row.share).toFixed(1) + "%";
      case "params": return row.params ? full(row.params) : "";
      case "flops": case "macs": case "activations": return full(row[key]);
      case "type": return '<span class="fam" style="background:' + DATA.colours[row.family] + '" title="' + esc(row.family) + '"></span>' + esc(row.type);
      default: return esc(row[key]);
    }
  }
  function drawRows() {
    var mdl = model(), key = state.sort[0], dir = state.sort[1], f = state.filter.toLowerCase();
    var rows = mdl.layers.filter(function (r) {
      return !f || (r.path + " " + r.type + " " + r.family).toLowerCase().indexOf(f) >= 0;
    });
    rows.sort(function (a, b) {
      var x = a[key], y = b[key];
      if (key === "inputs" || key === "output") { x = cell(a, key); y = cell(b, key); }
      if (x === y) return a.index - b.index;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    $("#rows").innerHTML = rows.map(function (r) {
      return '<tr id="row-' + r.index + '" data-layer="' + r.index + '"' + (r.index === state.selected ? ' class="selected"' : "") + ">" +
        COLUMNS.map(function (c) { return "<td" + (c[2] ? ' class="num"' : "") + ">" + cell(r, c[0]) + "</td>"; }).join("") + "</tr>";
    }).join("");
    document.querySelectorAll("th[data-key]").forEach(function (th) {
      th.classList.toggle("sorted-asc", th.dataset.key === key && dir > 0);
      th.classList.toggle("sorted-desc", th.dataset.key === key && dir < 0);
    });
    $("#shown").textContent = rows.length + " of " + mdl.layers.length + " calls";
  }

  function diagnosticsHTML(list) {
    if (!list.length) return "<p>No diagnostics.</p>";
    return '<ul class="diagnostics">' + list.map(function (d) {
      var where = d.file ? esc(d.file) + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "") + ": " : "";
      return "<li>" + where + '<span class="sev-' + esc(d.severity) + '">' + esc(d.code) + " [" + esc(d.name) + "]</span> " + esc(d.message) +
        (d.source ? "<pre>" + esc(d.line) + " | " + esc(d.source) + "</pre>" : "") + "</li>";
    }).join("") + "</ul>";
  }

  function skippedHTML() {
    return DATA.skipped.length ? "<h2>Skipped</h2><ul>" + DATA.skipped.map(function (s) {
      return "<li><code>" + esc(s.name) + "</code> (" + esc(s.file) + "): " + esc(s.reason) + "</li>";
    }).join("") + "</ul>" : "";
  }

  function drawModel() {
    var mdl = model(), unit = DATA.unit;
    var lower = mdl.complete ? "" : '<span class="lower" title="something could not be counted">≥ </span>';
    var inputs = mdl.inputs.map(shape).join(", ") || "?";
    $("#totals").innerHTML = "<span>params <b>" + lower + full(mdl.params) + "</b> (" + human(mdl.params) + ")</span>" +
      "<span>" + esc(unit) + " <b>" + lower + full(mdl.flops) + "</b> (" + human(mdl.flops, unit) + ")</span>" +
      "<span>MACs <b>" + lower + full(mdl.macs) + "</b></span><span>convention <b>" + esc(DATA.convention) + "</b></span>";
    $("#meta").innerHTML = "<code>" + esc(mdl.file) + ":" + mdl.line + "</code> · input <b>" + esc(inputs) + "</b> (" + esc(mdl.input_source) +
      (mdl.input_note ? ": " + esc(mdl.input_note) : "") + ")" +
      (mdl.assumptions.length ? ' · <span class="lower">assumed branches at ' + esc(mdl.assumptions.join(", ")) + "</span>" : "") +
      (mdl.complete ? "" : ' · <span class="lower">figures are lower bounds</span>');
    var own = mdl.diagnostics.map(function (d) { return JSON.stringify(d); });
    var rest = DATA.diagnostics.filter(function (d) { return own.indexOf(JSON.stringify(d)) < 0; });
    $("#diagnostics").innerHTML = "<h2>Diagnostics of " + esc(mdl.name) + "</h2>" + diagnosticsHTML(mdl.diagnostics) +
      /* the rest of the run (other models' files, libraries read): folded, as they are many in a library-heavy run */
      (rest.length ? '<details id="other-diagnostics"' + (rest.length <= 10 ? " open" : "") + "><summary><b>Other diagnostics of this run (" +
        rest.length + ")</b></summary>" + diagnosticsHTML(rest) + "</details>" : "") +
      skippedHTML();
    $("#totalrow").innerHTML = "<td></td><td>Total</td><td></td><td></td><td></td><td></td><td class=\"num\">" + lower + full(mdl.params) +
      '</td><td class="num">' + lower + full(mdl.flops) + '</td><td class="num">' + lower + full(mdl.macs) + '</td><td class="num">100%</td><td></td>';
    $("#details").textContent = "Click a node or a rectangle to see its row.";
    drawTreemap();
    drawGraph();
    drawRows();
  }

  function select(index, reveal) {
    state.selected = index;
    var row = model().layers[index];
    document.querySelectorAll(".selected").forEach(function (e) { e.classList.remove("selected"); });
    document.querySelectorAll('[data-layer="' + index + '"]').forEach(function (e) { e.classList.add("selected"); });
    var tr = document.getElementById("row-" + index);
    if (!tr && state.filter) { state.filter = ""; $("#filter").value = ""; drawRows(); tr = document.getElementById("row-" + index); }
    if (tr && reveal) tr.scrollIntoView({ block: "center" });
    var node = document.querySelector('#graph g[data-layer="' + index + '"]'), box = $("#graph");
    if (node && box && !reveal) {
      var n = model().graph.nodes.filter(function (x) { return x.layer === index; })[0];
      box.scrollTop = Math.max(0, n.y - box.clientHeight / 2);
      box.scrollLeft = Math.max(0, n.x - box.clientWidth / 2);
    }
    $("#details").innerHTML = "<b>" + esc(row.path) + "</b> " + esc(row.type) + " (" + esc(row.family) + "), line " + row.line +
      ": " + esc(row.inputs.map(shape).join(", ")) + " → " + esc(shape(row.output)) + ", " + full(row.params) + " params, " +
      full(row.flops) + " " + esc(DATA.unit) + (row.share === null ? "" : " (" + (100 * row.share).toFixed(2) + "%)");
  }

  function analysisPage() {
    var picker = DATA.models.length > 1 ? '<select id="picker">' + DATA.models.map(function (m, i) {
      return '<option value="' + i + '">' + esc(m.name) + " (" + esc(m.file.split("/").pop()) + ")</option>";
    }).join("") + "</select>" : "";
    if (!DATA.models.length) {
      return "<header><h1>staticflops</h1></header><main><p>No model was analyzed.</p>" + skippedHTML() + diagnosticsHTML(DATA.diagnostics) + "</main>";
    }
    return "<header><h1>staticflops · " + (picker || esc(DATA.models[0].name)) + '</h1><div class="totals" id="totals"></div></header>' +
      '<div class="meta" id="meta"></div><main><div class="panels">' +
      '<section class="panel"><h2>Where the cost is <span class="metric">' +
      METRICS.map(function (m, i) { return '<button data-metric="' + i + '">' + esc(m[1]) + "</button>"; }).join("") +
      '</span></h2><div class="crumbs" id="crumbs"></div><div id="treemap"></div><div class="legend">' +
      Object.keys(DATA.colours).map(function (f) { return '<span><i style="background:' + DATA.colours[f] + '"></i>' + esc(f) + "</span>"; }).join("") +
      "</div><p>Click a rectangle to see its row, double-click (or click a block's name) to zoom in.</p></section>" +
      '<section class="panel"><h2>Layer graph</h2><div class="graph" id="graph"></div><div class="details" id="details"></div></section></div>' +
      '<div class="tablebar"><input id="filter" type="search" placeholder="filter by path, type or family"><span id="shown"></span></div>' +
      "<table><thead><tr>" + COLUMNS.map(function (c) { return '<th data-key="' + c[0] + '"' + (c[2] ? ' class="num"' : "") + ">" + esc(c[1]) + "</th>"; }).join("") +
      '</tr></thead><tbody id="rows"></tbody><tfoot><tr class="total" id="totalrow"></tr></tfoot></table>' +
      '<section id="diagnostics"></section></main>';
  }

  function bindAnalysis() {
    var app = $("#app");
    app.addEventListener("click", function (ev) {
      var t = ev.target, el;
      if ((el = t.closest("[data-metric]"))) { state.metric = +el.dataset.metric; drawTreemap(); return; }
      if ((el = t.closest("[data-crumb]"))) { state.zoom = state.zoom.slice(0, +el.dataset.crumb); drawTreemap(); return; }
      if ((el = t.closest("[data-zoom]"))) { zoomInto(el.dataset.zoom); return; }
      if ((el = t.closest("th[data-key]"))) {
        var key = el.dataset.key;
        state.sort = [key, state.sort[0] === key ? -state.sort[1] : (key === "index" || key === "path" || key === "type" || key === "line" ? 1 : -1)];
        drawRows(); return;
      }
      /* a graph node brings its row into view; a rectangle only marks it (a double click must not scroll away) */
      if ((el = t.closest("[data-layer]"))) { select(+el.dataset.layer, !!el.closest("#graph")); }
    });
    app.addEventListener("dblclick", function (ev) {
      var el = ev.target.closest("rect.leaf");
      if (!el) return;
      var path = el.dataset.path, root = zoomRoot(), prefix = root.path ? root.path + "." : "";
      if (path.indexOf(prefix) !== 0) return;
      var next = prefix + path.slice(prefix.length).split(".")[0];
      zoomInto(next);
    });
    app.addEventListener("input", function (ev) {
      if (ev.target.id === "filter") { state.filter = ev.target.value; drawRows(); }
    });
    app.addEventListener("change", function (ev) {
      if (ev.target.id === "picker") { state.model = +ev.target.value; state.zoom = []; state.selected = null; drawModel(); }
    });
    var pending;
    window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(drawTreemap, 150); });
  }
  function zoomInto(path) {
    var node = findPath(model().tree, path);
    if (node && node !== zoomRoot()) { state.zoom.push(node); drawTreemap(); }
  }

  /* ---- staticflops diff ---- */
  function diffPage() {
    var unit = DATA.unit, parts = ["<header><h1>staticflops diff · " + esc(DATA.base) + " → " + esc(DATA.head) + "</h1>" +
      '<div class="totals"><span>convention <b>' + esc(DATA.convention) + "</b></span></div></header><main>"];
    if (!DATA.models.length) parts.push("<p>No model's parameters or FLOPs changed.</p>");
    DATA.models.forEach(function (m, i) {
      parts.push('<section class="panel model-diff" data-model="' + i + '"><h2>' + esc(m.name) + ' <span class="status-' + esc(m.status) + '">' + esc(m.status) +
        "</span> <code>" + esc(m.file) + "</code></h2><p>params " + change(m.base && m.base.params, m.head && m.head.params, "") +
        " · " + esc(unit) + " " + change(m.base && m.base.flops, m.head && m.head.flops, unit) + (m.complete ? "" : ' <span class="lower">(lower bounds)</span>') + "</p>" +
        (m.status === "unchanged" ? "" : '<div class="side"><div><h3>' + esc(DATA.base) + '</h3><div class="diff-treemap" data-side="base" data-model="' + i + '"></div></div>' +
        "<div><h3>" + esc(DATA.head) + '</h3><div class="diff-treemap" data-side="head" data-model="' + i + '"></div></div></div>' +
        '<p class="legend">' + Object.keys(STATUS_FILL).map(function (k) { return '<span><i style="background:' + STATUS_FILL[k] + '"></i>' + k + "</span>"; }).join("") +
        " · area ∝ " + esc(unit) + ", both sides at one scale</p>") +
        (m.status === "unchanged" ? "" : "<table><thead><tr><th>layer</th><th>type</th><th>status</th><th>params</th><th>" + esc(unit) + "</th></tr></thead><tbody>" +
        m.layers.filter(function (l) { return l.status !== "unchanged"; }).map(function (l) {
          return '<tr class="status-' + esc(l.status) + '"><td>' + esc(l.path) + "</td><td>" + esc(l.type) + "</td><td>" + esc(l.status) + "</td><td>" +
            change(l.base && l.base.params, l.head && l.head.params, "") + "</td><td>" + change(l.base && l.base.flops, l.head && l.head.flops, unit) + "</td></tr>";
        }).join("") + "</tbody></table>") + "</section>");
    });
    parts.push('<section id="diagnostics"><h2>Diagnostics</h2>' + diagnosticsHTML(DATA.diagnostics) + "</section></main>");
    return parts.join("");
  }
  function change(a, b, unit) {
    if (a === null || a === undefined) return "new: " + human(b, unit);
    if (b === null || b === undefined) return "removed: " + human(a, unit);
    if (a === b) return human(b, unit);
    return human(a, unit) + " → " + human(b, unit) + " (" + (b > a ? "+" : "−") + human(Math.abs(b - a), unit) + (a ? ", " + (b > a ? "+" : "") + ((b - a) / a * 100).toFixed(1) + "%" : "") + ")";
  }
  /* Both sides at one scale: each treemap's area is its total, so growth shows as size. */
  function drawDiffTreemaps() {
    document.querySelectorAll(".diff-treemap").forEach(function (box) {
      var m = DATA.models[+box.dataset.model], side = box.dataset.side, status = {};
      m.layers.forEach(function (l) { if (l.status !== "unchanged") status[l.path] = l.status; });
      var tree = m.trees[side], other = m.trees[side === "base" ? "head" : "base"];
      if (!tree) { box.innerHTML = "<p>(no model)</p>"; return; }
      var mine = total(tree, 0), most = Math.max(mine, other ? total(other, 0) : 0), scale = most ? Math.sqrt(mine / most) : 1;
      var width = Math.max(200, (box.clientWidth || 400) - 4);
      box.innerHTML = treemapSVG(tree, 0, { width: Math.max(1, width * scale), height: Math.max(1, 360 * scale), status: status });
    });
  }

  var app = $("#app");
  if (DATA.kind === "diff") {
    app.innerHTML = diffPage();
    drawDiffTreemaps();
  } else {
    app.innerHTML = analysisPage();
    if (DATA.models.length) { bindAnalysis(); drawModel(); }
  }
})();
