// The verdict table's sorting and filtering. Without this script the table is complete and
// in check order; with it the filter controls show, each column head sorts, and the filters
// are kept in the address's fragment (#verdict=refuted&theorem=...&q=...) so a filtered view
// can be shared.
(function () {
  "use strict";
  var table = document.getElementById("verdicts");
  var controls = document.getElementById("controls");
  if (!table || !controls) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
  var verdict = document.getElementById("f-verdict");
  var theorem = document.getElementById("f-theorem");
  var text = document.getElementById("f-text");
  var shown = document.getElementById("shown");

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2) {
        try { params[kv[0]] = decodeURIComponent(kv[1]); } catch (e) { /* ignore */ }
      }
    });
    return params;
  }

  function writeHash() {
    var parts = [];
    if (verdict.value) parts.push("verdict=" + encodeURIComponent(verdict.value));
    if (theorem.value) parts.push("theorem=" + encodeURIComponent(theorem.value));
    if (text.value) parts.push("q=" + encodeURIComponent(text.value));
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (history.replaceState) {
      history.replaceState(null, "", location.pathname + location.search + hash);
    }
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }

  function filter() {
    var v = verdict.value, t = theorem.value, q = text.value.toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var ok = (!v || row.getAttribute("data-verdict") === v) &&
        (!t || row.getAttribute("data-theorem") === t) &&
        (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " claims shown";
  }

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (!numeric) return raw.toLowerCase();
    var x = parseFloat(raw);
    return isNaN(x) ? null : x;
  }

  function sortBy(th) {
    var col = Number(th.getAttribute("data-col"));
    var numeric = th.getAttribute("data-type") === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric), c = 0;
      if (x === null && y !== null) c = 1;        // empty cells last, either way
      else if (y === null && x !== null) c = -1;
      else if (x !== null) c = dir * (x < y ? -1 : x > y ? 1 : 0);
      return c || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    button.title = "sort by " + th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th); });
  });

  var initial = readHash();
  if (initial.verdict) choose(verdict, initial.verdict);
  if (initial.theorem) choose(theorem, initial.theorem);
  if (initial.q) text.value = initial.q;
  [verdict, theorem].forEach(function (el) {
    el.addEventListener("change", function () { filter(); writeHash(); });
  });
  text.addEventListener("input", function () { filter(); writeHash(); });
  controls.addEventListener("submit", function (e) { e.preventDefault(); });
  controls.hidden = false;
  filter();
})();
