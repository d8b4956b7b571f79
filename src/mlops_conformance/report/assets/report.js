/* mlops-conformance report: filters and drill-down. Inlined into index.html; no network. All
   evidence is inserted as text (textContent), never as markup, so a hostile response body cannot
   script the page. */
(function () {
  "use strict";
  var dataNode = document.getElementById("report-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : { rows: {}, ops: [] };
  data.rows = data.rows || {};
  data.docs = data.docs || {};
  var table = document.getElementById("matrix");
  if (!table) { return; }

  /* Most rows' evidence is packed (gzip + base64, #report-data-z) and inflated in the background;
     the problems' evidence is plain JSON, usable at once. */
  var packedError = "";
  function inflate(node) {
    if (!node) { return Promise.resolve(null); }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot decompress the embedded evidence (no DecompressionStream)"));
    }
    var binary = atob(node.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  var loaded = inflate(document.getElementById("report-data-z")).then(function (packed) {
    if (!packed) { return; }
    Object.keys(packed.rows || {}).forEach(function (id) { data.rows[id] = packed.rows[id]; });
    Object.keys(packed.docs || {}).forEach(function (key) { data.docs[key] = packed.docs[key]; });
    (packed.coverage || []).forEach(function (pair, i) {
      if (data.ops[i]) { data.ops[i].documented = pair[0]; data.ops[i].undocumented = pair[1]; }
    });
  }, function (error) { packedError = String(error && error.message || error); });
  var opRows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.op"));
  var groupRows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.group"));
  var sideRows = Array.prototype.slice.call(document.querySelectorAll("#problems tbody tr, #known tbody tr, #coverage tbody tr, table.tags tbody tr"));
  var text = document.getElementById("f-text");
  var vendor = document.getElementById("f-vendor");
  var tag = document.getElementById("f-tag");
  var count = document.getElementById("f-count");
  var empty = document.getElementById("f-empty");
  var problems = document.getElementById("f-problems");
  var vbtns = Array.prototype.slice.call(document.querySelectorAll(".vbtn"));
  var PROBLEMS = ["fail", "error", "warn"];
  var selected = {};

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }

  function activeVerdicts() {
    return Object.keys(selected).filter(function (v) { return selected[v]; });
  }

  function matches(node, needle, v, t, verdicts) {
    if (v && node.dataset.vendor && node.dataset.vendor !== v) { return false; }
    if (t && node.dataset.tag && node.dataset.tag !== t) { return false; }
    if (needle && node.dataset.search !== undefined && node.dataset.search.indexOf(needle) < 0) { return false; }
    if (verdicts.length && node.dataset.verdicts !== undefined) {
      var own = node.dataset.verdicts.split(" ");
      if (!verdicts.some(function (x) { return own.indexOf(x) >= 0; })) { return false; }
    }
    return true;
  }

  function apply() {
    var needle = text.value.trim().toLowerCase();
    var v = vendor.value, t = tag.value, verdicts = activeVerdicts();
    var visible = 0, groups = {};
    opRows.forEach(function (row) {
      var show = matches(row, needle, v, t, verdicts);
      row.hidden = !show;
      if (show) { visible += 1; groups[row.dataset.group] = true; }
      Array.prototype.forEach.call(row.querySelectorAll("button.cell"), function (cell) {
        var own = cell.dataset.verdicts.split(" ");
        cell.classList.toggle("dim", verdicts.length > 0 && !verdicts.some(function (x) { return own.indexOf(x) >= 0; }));
      });
    });
    groupRows.forEach(function (row) { row.hidden = !groups[row.dataset.group]; });
    sideRows.forEach(function (row) { row.hidden = !matches(row, needle, v, t, []); });
    count.textContent = visible + " of " + opRows.length + " operations";
    empty.hidden = visible > 0;
    vbtns.forEach(function (b) { b.setAttribute("aria-pressed", selected[b.dataset.verdict] ? "true" : "false"); });
    var isProblems = PROBLEMS.every(function (x) { return selected[x]; }) && verdicts.length === PROBLEMS.length;
    problems.setAttribute("aria-pressed", isProblems ? "true" : "false");
    saveHash();
  }

  /* the state lives in the URL fragment, so a filtered view or an open cell can be linked to */
  var openKey = "";
  function saveHash() {
    var parts = [];
    if (text.value.trim()) { parts.push("q=" + encodeURIComponent(text.value.trim())); }
    if (vendor.value) { parts.push("vendor=" + encodeURIComponent(vendor.value)); }
    if (tag.value) { parts.push("tag=" + encodeURIComponent(tag.value)); }
    if (activeVerdicts().length) { parts.push("verdict=" + activeVerdicts().join(",")); }
    if (openKey) { parts.push("open=" + encodeURIComponent(openKey)); }
    var hash = parts.length ? "#" + parts.join("&") : " ";
    try { history.replaceState(null, "", hash === " " ? location.pathname + location.search : hash); } catch (e) { /* file:// in some browsers */ }
  }

  function loadHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) { state[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1)); }
    });
    if (state.q) { text.value = state.q; }
    if (state.vendor) { vendor.value = state.vendor; }
    if (state.tag) { tag.value = state.tag; }
    if (state.verdict) { state.verdict.split(",").forEach(function (v) { selected[v] = true; }); }
    return state.open || "";
  }

  text.addEventListener("input", apply);
  vendor.addEventListener("change", apply);
  tag.addEventListener("change", apply);
  vbtns.forEach(function (b) {
    b.addEventListener("click", function () { selected[b.dataset.verdict] = !selected[b.dataset.verdict]; apply(); });
  });
  problems.addEventListener("click", function () {
    var on = problems.getAttribute("aria-pressed") !== "true";
    selected = {};
    if (on) { PROBLEMS.forEach(function (x) { selected[x] = true; }); }
    apply();
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    selected = {}; text.value = ""; vendor.value = ""; tag.value = ""; apply();
  });

  /* drill-down */
  var drawer = document.getElementById("drawer");
  var dTitle = document.getElementById("d-title");
  var dKicker = document.getElementById("d-kicker");
  var dBody = document.getElementById("d-body");
  var activeButton = null;

  function pre(content) { return el("pre", null, content); }

  function field(dl, label, node) {
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (typeof node === "string") { dd.textContent = node; } else { dd.appendChild(node); }
    dl.appendChild(dd);
  }

  function headersText(headers) {
    return Object.keys(headers || {}).map(function (k) { return k + ": " + headers[k]; }).join("\n");
  }

  function linesOf(row) { return row.lines || (row.source ? data.docs[row.source] : null); }

  function docExcerpt(row) {
    var box = el("div", "doc");
    (linesOf(row) || []).forEach(function (pair) {
      var line = el("div", pair[0] === row.source_line ? "hl" : null);
      line.appendChild(el("span", "n", pair[0]));
      line.appendChild(el("span", "t", pair[1] || " "));
      box.appendChild(line);
    });
    return box;
  }

  function evidenceCard(row) {
    var card = el("article", "ev v-" + row.verdict);
    var head = el("header");
    head.appendChild(el("span", "badge v-" + row.verdict, row.verdict));
    head.appendChild(el("code", null, row.check));
    if (row.statuses && row.statuses.length) { head.appendChild(el("span", "muted small", "answered " + row.statuses.join(", "))); }
    if (row.judged) { head.appendChild(el("span", "muted small", "· " + row.judged + " requests judged")); }
    card.appendChild(head);
    var dl = el("dl");
    if (row.reason) { field(dl, "Reason", row.reason); }
    if (row.message && row.message !== row.reason) { field(dl, "Message", pre(row.message)); }
    if (row.details) {
      var list = el("ul", "details");
      row.details.forEach(function (d) { list.appendChild(el("li", null, d)); });
      field(dl, "Details", list);
    }
    if (row.error) { field(dl, "Error", pre(row.error)); }
    if (row.mutation) { field(dl, "Mutation", pre(row.mutation)); }
    if (row.known_failure) { field(dl, "Known failure", row.known_failure); }
    if (row.schema_path) { field(dl, "Schema path", el("code", null, row.schema_path)); }
    if (row.expires) { field(dl, "Expires", row.expires); }
    if (row.source) {
      var src = el("div");
      src.appendChild(el("code", null, row.source));
      if (row.source_is_operation) { src.appendChild(el("span", "muted small", "  (where the operation is documented)")); }
      if (linesOf(row)) { src.appendChild(docExcerpt(row)); }
      field(dl, "Documented at", src);
    }
    if (row.request) {
      var req = row.request.method + " " + row.request.url;
      var hdrs = headersText(row.request.headers);
      if (hdrs) { req += "\n" + hdrs; }
      if (row.request.body) { req += "\n\n" + row.request.body; }
      field(dl, "Request", pre(req));
    }
    if (row.response) {
      var res = "HTTP " + (row.response.status === undefined || row.response.status === null ? "?" : row.response.status);
      var rh = headersText(row.response.headers);
      if (rh) { res += "\n" + rh; }
      if (row.response.body) { res += "\n\n" + row.response.body; }
      field(dl, "Response", pre(res));
    }
    card.appendChild(dl);
    return card;
  }

  function coverageList(op) {
    var box = el("div");
    var list = el("ul", "covlist");
    op.documented.forEach(function (s) {
      var li = el("li");
      li.appendChild(el("span", "st " + (s[1] ? "hit" : "miss"), s[0]));
      li.appendChild(el("span", s[1] ? null : "muted", s[1] ? "exercised" : "not exercised: " + (s[2] || "unknown")));
      list.appendChild(li);
    });
    op.undocumented.forEach(function (s) {
      var li = el("li");
      li.appendChild(el("span", "st drift", s));
      li.appendChild(el("span", null, "answered by the target, not documented"));
      list.appendChild(li);
    });
    if (!op.documented.length && !op.undocumented.length) { box.appendChild(el("p", "muted", "No documented status codes.")); }
    box.appendChild(list);
    return box;
  }

  function keyOf(button) {
    return button.dataset.op + ":" + (button.dataset.coverage ? "statuses" : button.dataset.family);
  }

  function open(button) {
    var op = data.ops[Number(button.dataset.op)] || {};
    openKey = keyOf(button);
    if (activeButton) { activeButton.classList.remove("active"); }
    activeButton = button;
    button.classList.add("active");
    dTitle.textContent = op.operation || "";
    dBody.textContent = "";
    if (button.dataset.coverage) {
      dKicker.textContent = (op.vendor || "") + " · " + (op.tag || "") + " · status-code coverage";
      if (op.documented) {
        dBody.appendChild(coverageList(op));
      } else {
        dBody.appendChild(el("p", "muted", packedError ? "coverage unavailable: " + packedError : "loading coverage…"));
        if (!packedError) {
          loaded.then(function () { if (activeButton === button && !drawer.hidden) { open(button); } });
        }
      }
    } else {
      var ids = button.dataset.rows ? button.dataset.rows.split(" ") : [];
      dKicker.textContent = (op.vendor || "") + " · " + (op.tag || "") + " · " + button.dataset.family + " · " + ids.length + " check" + (ids.length === 1 ? "" : "s");
      if (op.summary) { dBody.appendChild(el("p", "muted", op.summary)); }
      var missing = 0;
      ids.forEach(function (id) { if (data.rows[id]) { dBody.appendChild(evidenceCard(data.rows[id])); } else { missing += 1; } });
      if (missing) {
        dBody.appendChild(el("p", "muted", packedError ? "evidence unavailable: " + packedError : "loading evidence…"));
        if (!packedError) {
          loaded.then(function () { if (activeButton === button && !drawer.hidden) { open(button); } });
        }
      }
    }
    drawer.hidden = false;
    saveHash();
    document.getElementById("d-close").focus();
  }

  function close() {
    drawer.hidden = true;
    openKey = "";
    saveHash();
    if (activeButton) { activeButton.classList.remove("active"); activeButton.focus(); activeButton = null; }
  }

  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.cell, button.covbtn");
    if (button) { open(button); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("#problems button.pbtn"), function (button) {
    button.addEventListener("click", function () { open(button); });
  });
  document.getElementById("d-close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !drawer.hidden) { close(); }
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test((document.activeElement || {}).tagName || "");
    if (event.key === "/" && !typing) { event.preventDefault(); text.focus(); }
  });

  /* sticky offsets: the column heads sit under the filter bar, the group heads under both */
  var toolbar = document.querySelector(".toolbar");
  var thead = table.querySelector("thead");
  function measure() {
    var root = document.documentElement.style;
    root.setProperty("--toolbar-h", toolbar.offsetHeight + "px");
    root.setProperty("--thead-h", thead.offsetHeight + "px");
  }
  window.addEventListener("resize", measure);
  measure();

  var initiallyOpen = loadHash();
  apply();
  if (initiallyOpen) {
    var parts = initiallyOpen.split(":");
    var selector = parts[1] === "statuses"
      ? 'button.covbtn[data-op="' + Number(parts[0]) + '"]'
      : 'button.cell[data-op="' + Number(parts[0]) + '"][data-family="' + (parts[1] || "").replace(/[^A-Za-z0-9_-]/g, "") + '"]';
    var target = table.querySelector(selector);
    if (target) { open(target); target.scrollIntoView({ block: "nearest", behavior: "instant" }); }
  }
  document.documentElement.setAttribute("data-interactive", "1");
  /* data-ready: every row's evidence is in (an open drawer filled); data-ready-ms: since navigation */
  loaded.then(function () {
    document.documentElement.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
