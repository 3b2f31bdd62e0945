// The clue table of report.html: search, filter by rule and county, sort, page, copy ids.
// Data: the JSON block #hy-clue-data, columns as arrays (see huiyan/report/clue_table.py).
// Cells are filled with textContent only, so no clue text is ever read as HTML.
(function () {
  "use strict";
  var root = document.getElementById("hy-clues");
  var source = document.getElementById("hy-clue-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var total = data.clue_id.length;
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 50;
  var state = { rule: "", region: "", query: "", key: null, dir: 1, page: 0 };
  var shown = [];
  var haystack = null;
  var numeric = { amount: true, score: true };
  var body = root.querySelector("#hy-table tbody");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function amountValue(i) {
    var s = data.amount[i];
    return s === "" ? -Infinity : parseFloat(s.replace(/,/g, ""));
  }

  function value(key, i) {
    if (key === "amount") return amountValue(i);
    if (key === "score") return data.score[i];
    if (key === "rule") return data.rules[data.rule[i]];
    if (key === "region") return data.region[i] < 0 ? "" : data.regions[data.region[i]];
    return data[key][i] || "";
  }

  function text(i) {
    return [
      data.clue_id[i], value("rule", i), data.rules_zh[data.rule[i]], value("region", i),
      data.subject[i], data.amount[i], data.date[i], data.summary[i], data.snippet[i],
      data.evidence[i], data.context[i]
    ].join("\n").toLowerCase();
  }

  function counts(field) {
    var out = {};
    for (var i = 0; i < total; i++) out[data[field][i]] = (out[data[field][i]] || 0) + 1;
    return out;
  }

  function fill(select, names, extra, field) {
    var n = counts(field);
    names.forEach(function (name, index) {
      var label = name + (extra && extra[index] ? " " + extra[index] : "");
      var option = el("option", null, label + " (" + (n[index] || 0).toLocaleString("en") + ")");
      option.value = String(index);
      select.appendChild(option);
    });
  }

  function apply() {
    var query = state.query.trim().toLowerCase();
    if (query && haystack === null) {
      haystack = new Array(total);
      for (var h = 0; h < total; h++) haystack[h] = text(h);
    }
    var rule = state.rule === "" ? -1 : parseInt(state.rule, 10);
    var region = state.region === "" ? -1 : parseInt(state.region, 10);
    var rows = [];
    for (var i = 0; i < total; i++) {
      if (rule >= 0 && data.rule[i] !== rule) continue;
      if (region >= 0 && data.region[i] !== region) continue;
      if (query && haystack[i].indexOf(query) < 0) continue;
      rows.push(i);
    }
    if (state.key) {
      var key = state.key, dir = state.dir;
      var keys = {};
      rows.forEach(function (r) { keys[r] = value(key, r); });
      rows.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        var c = numeric[key] ? x - y : String(x).localeCompare(String(y), "zh");
        return c === 0 ? a - b : c * dir;
      });
    }
    shown = rows;
    state.page = 0;
    render();
  }

  var classes = {
    clue_id: "hy-idcell", rule: "hy-rule", region: "hy-region", subject: "hy-lines", amount: "hy-num", score: "hy-num",
    date: "hy-date", summary: "hy-text", snippet: "hy-snippet hy-text",
    evidence: "hy-lines hy-records"
  };
  var cells = {
    clue_id: function (td, i) {
      td.appendChild(el("code", "hy-id", data.clue_id[i]));
      var button = el("button", "hy-copy", "复制 copy");
      button.type = "button";
      button.setAttribute("data-id", data.clue_id[i]);
      td.appendChild(button);
    },
    rule: function (td, i) {
      td.textContent = value("rule", i);
      td.title = data.rules_zh[data.rule[i]] || "";
    },
    amount: function (td, i) { td.textContent = data.amount[i] || "—"; },
    score: function (td, i) { td.textContent = data.score[i].toFixed(2); },
    date: function (td, i) { td.textContent = data.date[i] || "—"; },
    evidence: function (td, i) {
      td.textContent = data.evidence[i];
      if (data.context[i]) {
        var more = el("details");
        more.appendChild(el("summary", null, "佐证记录 context"));
        more.appendChild(el("div", "hy-lines", data.context[i]));
        td.appendChild(more);
      }
    }
  };

  function copy(id, button) {
    function done(ok) {
      button.textContent = ok ? "已复制 copied" : "请手动复制 select";
      button.setAttribute("data-copied", ok ? "yes" : "no");
      setTimeout(function () { button.textContent = "复制 copy"; }, 1500);
    }
    function fallback() {
      var code = button.previousSibling;
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(id).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    state.page = Math.min(Math.max(state.page, 0), pages - 1);
    var start = state.page * pageSize;
    var end = Math.min(start + pageSize, shown.length);
    var fragment = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var i = shown[k];
      var row = el("tr");
      for (var c = 0; c < data.columns.length; c++) {
        var key = data.columns[c];
        var td = el("td", classes[key] || null);
        if (cells[key]) cells[key](td, i);
        else td.textContent = value(key, i);
        row.appendChild(td);
      }
      fragment.appendChild(row);
    }
    body.textContent = "";
    body.appendChild(fragment);
    var count = document.getElementById("hy-count");
    count.textContent = shown.length === 0
      ? "没有符合条件的线索 No clue matches"
      : "第 " + (start + 1).toLocaleString("en") + "–" + end.toLocaleString("en") + " 条，共 " +
        shown.length.toLocaleString("en") + " 条" +
        (shown.length < total ? "（筛选自 " + total.toLocaleString("en") + " 条 filtered）" : "") +
        " Showing " + (start + 1) + "–" + end + " of " + shown.length;
    document.getElementById("hy-page").textContent = " 第 " + (state.page + 1) + " / " + pages + " 页 ";
    document.getElementById("hy-prev").disabled = state.page === 0;
    document.getElementById("hy-next").disabled = state.page >= pages - 1;
    root.setAttribute("data-shown", String(shown.length));
    root.querySelectorAll("th[data-key]").forEach(function (th) {
      var mark = th.querySelector(".hy-sort");
      mark.textContent = th.getAttribute("data-key") === state.key ? (state.dir > 0 ? " ▲" : " ▼") : "";
    });
  }

  fill(document.getElementById("hy-rule"), data.rules, data.rules_zh, "rule");
  fill(document.getElementById("hy-region"), data.regions, null, "region");
  document.getElementById("hy-rule").addEventListener("change", function (e) {
    state.rule = e.target.value; apply();
  });
  document.getElementById("hy-region").addEventListener("change", function (e) {
    state.region = e.target.value; apply();
  });
  var timer = null;
  document.getElementById("hy-search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = e.target.value; apply(); }, 120);
  });
  document.getElementById("hy-prev").addEventListener("click", function () {
    state.page -= 1; render();
  });
  document.getElementById("hy-next").addEventListener("click", function () {
    state.page += 1; render();
  });
  root.querySelectorAll("th[data-key]").forEach(function (th) {
    function sort() {
      var key = th.getAttribute("data-key");
      if (state.key === key) state.dir = -state.dir;
      else { state.key = key; state.dir = numeric[key] ? -1 : 1; }
      apply();
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
  body.addEventListener("click", function (e) {
    var target = e.target;
    if (target && target.classList && target.classList.contains("hy-copy")) {
      copy(target.getAttribute("data-id"), target);
    }
  });
  apply();
})();
