/*
 * dxtalent — small progressive enhancements, no framework. Loaded with `defer` after htmx.
 *
 * Every page works without this file; it only adds:
 *   1. collapsible org tree:   table[data-collapsible-tree] with rows tr[data-unit][data-parent], .tree-toggle buttons;
 *                              [data-tree-expand-all] / [data-tree-collapse-all] buttons name the table by id.
 *   2. row filter:             input[data-filter-table=ID] shows the rows of table#ID that match (and their ancestors);
 *                              optional data-filter-status=ID names a live region for the match count.
 *   3. client-side sorting:    table[data-sortable] (not for server-paginated tables); th[data-sort="none"] opts out;
 *                              td[data-sort-value] overrides the cell text; th.num / th[data-sort-type=number] sorts numbers.
 *   4. dependent selects:      select[data-narrow-by] offers only the optgroups that fit the selects it names
 *                              (局区 → 部 → 課 on the employee list).
 *   5. htmx glue:              announces result counts after a swap, marks the target aria-busy while loading.
 * New content swapped in by htmx is enhanced too (htmx.onLoad). The CSP allows no inline script or style:
 * state lives in attributes (hidden, aria-expanded, aria-sort) and app.css styles them.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("ja", { numeric: true, sensitivity: "base" });

  /* NFKC, hiragana → katakana, lower case, no spaces: the same folding the server uses for search. */
  function fold(text) {
    var s = String(text || "");
    if (s.normalize) {
      s = s.normalize("NFKC");
    }
    s = s.replace(/[\u3041-\u3096]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) + 0x60);
    });
    return s.toLowerCase().replace(/\s+/g, "");
  }

  function each(root, selector, fn) {
    var list = [];
    if (root.matches && root.matches(selector)) {
      list.push(root);
    }
    if (root.querySelectorAll) {
      list = list.concat(Array.prototype.slice.call(root.querySelectorAll(selector)));
    }
    list.forEach(fn);
  }

  function once(el, key) {
    var attr = "data-dx-" + key;
    if (el.hasAttribute(attr)) {
      return false;
    }
    el.setAttribute(attr, "");
    return true;
  }

  /* ------------------------------------------------------------ 1. collapsible tree */

  function treeRows(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-unit]"));
  }

  function levelOf(row) {
    var m = /(?:^|\s)level-(\d+)(?:\s|$)/.exec(row.className);
    return m ? parseInt(m[1], 10) : 1;
  }

  function toggleOf(row) {
    return row.querySelector(".tree-toggle");
  }

  function isExpanded(row) {
    var t = toggleOf(row);
    return !t || t.getAttribute("aria-expanded") !== "false";
  }

  /*
   * A row shows when every ancestor is expanded. While a filter is active it must also match, or be an ancestor of
   * a match; applying a filter expands the ancestors of its matches (like a file tree revealing search hits), so the
   * toggles always tell the truth and still work while filtering.
   */
  function refreshTree(table, reveal) {
    var rows = treeRows(table);
    var byId = {};
    rows.forEach(function (r) {
      byId[r.getAttribute("data-unit")] = r;
    });
    var query = table._dxFilter || "";
    var keep = null;
    var count = 0;
    if (query) {
      keep = {};
      rows.forEach(function (r) {
        var match = fold(r.getAttribute("data-filter-text") || r.textContent).indexOf(query) !== -1;
        r.classList.toggle("is-match", match);
        if (!match) {
          return;
        }
        count += 1;
        keep[r.getAttribute("data-unit")] = true;
        var cur = byId[r.getAttribute("data-parent") || ""];
        var guard = 0;
        while (cur && guard < 50) {
          keep[cur.getAttribute("data-unit")] = true;
          if (reveal) {
            setExpanded(cur, true);
          }
          cur = byId[cur.getAttribute("data-parent") || ""];
          guard += 1;
        }
      });
    } else {
      rows.forEach(function (r) {
        r.classList.remove("is-match");
      });
      count = rows.length;
    }
    var open = {};
    rows.forEach(function (r) {
      var id = r.getAttribute("data-unit");
      var parentId = r.getAttribute("data-parent") || "";
      var parent = byId[parentId];
      var reachable = !parent || (open[parentId] && isExpanded(parent));
      open[id] = reachable;
      r.hidden = !reachable || (keep !== null && !keep[id]);
    });
    return count;
  }

  function setExpanded(row, expanded) {
    var t = toggleOf(row);
    if (t) {
      t.setAttribute("aria-expanded", expanded ? "true" : "false");
    }
  }

  function initTree(table) {
    if (!once(table, "tree")) {
      return;
    }
    var rows = treeRows(table);
    // Deep levels start collapsed: 局区 show their 部; 課 and 係 appear when a 部 (or 課) is opened.
    rows.forEach(function (r) {
      setExpanded(r, levelOf(r) < 2);
    });
    table.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".tree-toggle") : null;
      if (!button || !table.contains(button)) {
        return;
      }
      var row = button.closest("tr");
      setExpanded(row, button.getAttribute("aria-expanded") === "false");
      refreshTree(table);
    });
    refreshTree(table);
  }

  function initTreeButtons(root) {
    each(root, "[data-tree-expand-all], [data-tree-collapse-all]", function (button) {
      if (!once(button, "treebutton")) {
        return;
      }
      var expand = button.hasAttribute("data-tree-expand-all");
      var table = document.getElementById(button.getAttribute(expand ? "data-tree-expand-all" : "data-tree-collapse-all"));
      if (!table) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        treeRows(table).forEach(function (r) {
          setExpanded(r, expand || levelOf(r) < 2);
        });
        refreshTree(table);
      });
    });
  }

  /* ------------------------------------------------------------ 2. text filter for table rows */

  function filterPlainTable(table, query) {
    var count = 0;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (r) {
        var match = !query || fold(r.textContent).indexOf(query) !== -1;
        r.hidden = !match;
        if (match) {
          count += 1;
        }
      });
    });
    return count;
  }

  function initFilter(input) {
    if (!once(input, "filter")) {
      return;
    }
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) {
      return;
    }
    var status = document.getElementById(input.getAttribute("data-filter-status") || "");
    var timer = null;
    function apply() {
      var query = fold(input.value);
      var count;
      if (table.hasAttribute("data-collapsible-tree")) {
        table._dxFilter = query;
        count = refreshTree(table, true);
      } else {
        count = filterPlainTable(table, query);
      }
      if (status) {
        status.textContent = query ? count + "件が一致しました。" : "";
      }
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        apply();
      }
    });
    // The filter box is not a form to submit: Enter applies the filter at once instead.
    input.addEventListener("keypress", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        apply();
      }
    });
    if (input.value) {
      apply();
    }
  }

  /* ------------------------------------------------------------ 3. client-side sorting */

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) {
      return "";
    }
    return cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent.trim();
  }

  function sortTable(table, th, direction) {
    var headerRow = th.parentNode;
    var index = Array.prototype.indexOf.call(headerRow.cells, th);
    var numeric = th.classList.contains("num") || th.getAttribute("data-sort-type") === "number";
    var sign = direction === "descending" ? -1 : 1;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      var rows = Array.prototype.slice.call(tbody.rows).filter(function (r) {
        return !r.querySelector("td.empty");
      });
      var keyed = rows.map(function (r, i) {
        return { row: r, value: cellValue(r, index), i: i };
      });
      keyed.sort(function (a, b) {
        var d;
        if (numeric) {
          var x = parseFloat(String(a.value).replace(/[^0-9.\-]/g, ""));
          var y = parseFloat(String(b.value).replace(/[^0-9.\-]/g, ""));
          d = (isNaN(x) ? -Infinity : x) - (isNaN(y) ? -Infinity : y);
        } else {
          d = collator.compare(a.value, b.value);
        }
        return d !== 0 ? d * sign : a.i - b.i; // stable
      });
      keyed.forEach(function (k) {
        tbody.appendChild(k.row);
      });
    });
    Array.prototype.forEach.call(headerRow.cells, function (cell) {
      if (cell.hasAttribute("aria-sort")) {
        cell.setAttribute("aria-sort", "none");
      }
    });
    th.setAttribute("aria-sort", direction);
  }

  function initSortable(table) {
    if (!once(table, "sortable") || !table.tHead) {
      return;
    }
    var headerRow = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(headerRow.cells, function (th) {
      if (th.getAttribute("data-sort") === "none" || th.colSpan > 1) {
        return;
      }
      var button = th.querySelector("button.sort-button");
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        while (th.firstChild) {
          button.appendChild(th.firstChild);
        }
        th.appendChild(button);
      }
      if (!th.hasAttribute("aria-sort")) {
        th.setAttribute("aria-sort", "none");
      }
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortTable(table, th, next);
      });
    });
  }

  /* ------------------------------------------------------------ 4. dependent selects (局区 → 部 → 課) */

  /*
   * select[data-narrow-by="id_top id_bu"] holds optgroups marked data-narrow="id_top:12 id_bu:34": a group is offered
   * only while each named select is empty ("すべて") or has that value. A choice that falls out of range is reset
   * to "すべて" before the change reaches htmx (our listeners are registered before htmx starts).
   */
  function narrowSelect(select) {
    Array.prototype.forEach.call(select.querySelectorAll("optgroup[data-narrow]"), function (group) {
      var ok = group
        .getAttribute("data-narrow")
        .split(/\s+/)
        .every(function (pair) {
          var i = pair.lastIndexOf(":");
          var other = document.getElementById(pair.slice(0, i));
          return !other || !other.value || other.value === pair.slice(i + 1);
        });
      group.hidden = !ok;
      group.disabled = !ok;
    });
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.parentNode.disabled) {
      select.value = "";
    }
  }

  function initNarrowing(select) {
    if (!once(select, "narrow")) {
      return;
    }
    select
      .getAttribute("data-narrow-by")
      .split(/\s+/)
      .forEach(function (id) {
        var other = document.getElementById(id);
        if (other) {
          other.addEventListener("change", function () {
            narrowSelect(select);
          });
        }
      });
    narrowSelect(select);
  }

  /* ------------------------------------------------------------ 5. htmx glue */

  function initHtmx() {
    if (!window.htmx || document.body.hasAttribute("data-dx-htmx")) {
      return;
    }
    document.body.setAttribute("data-dx-htmx", "");
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var target = event.detail && event.detail.target;
      if (target) {
        target.setAttribute("aria-busy", "true");
      }
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var target = event.detail && event.detail.target;
      if (target && target.isConnected) {
        target.removeAttribute("aria-busy");
      }
    });
    // The results block is replaced wholesale; a stable live region outside it announces the new count.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var target = event.detail && event.detail.target;
      var region = target && target.isConnected ? target : document.getElementById("results");
      if (!region) {
        return;
      }
      var status = document.querySelector("[data-results-status]");
      var summary = region.querySelector ? region.querySelector(".summary") : null;
      if (status && summary) {
        status.textContent = "検索結果: " + summary.textContent.trim();
      }
    });
    document.body.addEventListener("htmx:responseError", function () {
      var status = document.querySelector("[data-results-status]");
      if (status) {
        status.textContent = "検索できませんでした。ページを再読み込みしてください。";
      }
    });
  }

  /* ------------------------------------------------------------ wiring */

  function enhance(root) {
    root = root || document;
    each(root, "table[data-collapsible-tree]", initTree);
    each(root, "table[data-sortable]", initSortable);
    each(root, "input[data-filter-table]", initFilter);
    each(root, "select[data-narrow-by]", initNarrowing);
    initTreeButtons(root);
  }

  window.dxtalent = { enhance: enhance, fold: fold };

  enhance(document);
  initHtmx();
  if (window.htmx && window.htmx.onLoad) {
    window.htmx.onLoad(function (elt) {
      enhance(elt);
    });
  }
})();
