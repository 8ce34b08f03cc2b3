// Sorting and filtering for the findings table. The rows are in the page already (it reads
// and prints without this script); the values to sort and filter by come from the JSON
// block, and text only ever reaches the page through textContent.
(function () {
  "use strict";
  var source = document.getElementById("audit-data");
  var table = document.getElementById("findings-table");
  if (!source || !table) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var findings = data.findings;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var severityRank = { error: 3, warning: 2, info: 1 };
  var filters = {
    severity: document.getElementById("filter-severity"),
    rule: document.getElementById("filter-rule"),
    file: document.getElementById("filter-file"),
  };
  var count = document.getElementById("findings-count");

  function finding(row) {
    return findings[Number(row.getAttribute("data-index"))];
  }

  function ruleOf(f) {
    return f.code + " " + f.name;
  }

  function distinct(values) {
    var seen = {};
    var out = [];
    values.forEach(function (value) {
      if (!Object.prototype.hasOwnProperty.call(seen, value)) {
        seen[value] = true;
        out.push(value);
      }
    });
    return out;
  }

  function fill(select, values) {
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }

  fill(filters.severity, ["error", "warning", "info"].filter(function (s) {
    return findings.some(function (f) { return f.severity === s; });
  }));
  fill(filters.rule, distinct(findings.map(ruleOf)).sort());
  fill(filters.file, distinct(findings.map(function (f) { return f.path; })).sort());

  var keys = {
    severity: function (f) { return [-severityRank[f.severity], f.path, f.line]; },
    rule: function (f) { return [f.code, f.path, f.line]; },
    file: function (f) { return [f.path, f.line, f.column]; },
    connection: function (f) { return [f.connection || "\uffff", f.path, f.line]; },
    message: function (f) { return [f.message.toLowerCase(), f.path, f.line]; },
  };

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) { return -1; }
      if (a[i] > b[i]) { return 1; }
    }
    return 0;
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th) {
    var key = th.getAttribute("data-sort");
    var button = th.querySelector("button");
    if (!key || !button || !keys[key]) {
      return;
    }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sorted = rows.slice().sort(function (a, b) {
        var order = compare(keys[key](finding(a)), keys[key](finding(b)));
        return ascending ? order : -order;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var f = finding(row);
      var visible = (!filters.severity.value || f.severity === filters.severity.value) &&
        (!filters.rule.value || ruleOf(f) === filters.rule.value) &&
        (!filters.file.value || f.path === filters.file.value);
      row.hidden = !visible;
      if (visible) { shown++; }
    });
    count.textContent = shown === rows.length
      ? rows.length + " findings"
      : shown + " of " + rows.length + " findings";
  }

  Object.keys(filters).forEach(function (name) {
    filters[name].addEventListener("change", apply);
  });
  document.getElementById("findings-controls").hidden = false;
  document.documentElement.classList.add("js");
  apply();
})();
