/* runbookgen: filters for the alert index, how long ago each runbook was reviewed, downloads from file://,
 * and names for the theme's landmarks.
 * Review age is computed in the browser so the built Markdown stays byte-identical from day to day. */
(function () {
  "use strict";

  function durationDays(text) {
    var units = { ms: 1 / 86400000, s: 1 / 86400, m: 1 / 1440, h: 1 / 24, d: 1, w: 7, y: 365 };
    var total = 0;
    var re = /([0-9]+)(ms|s|m|h|d|w|y)/g;
    var match;
    while ((match = re.exec(text || "")) !== null) total += Number(match[1]) * units[match[2]];
    return total || 180;
  }

  // Whole calendar days from a YYYY-MM-DD date to today in the reader's own calendar, as `runbookgen lint`
  // counts them with the local date. A date written today by an author a time zone ahead is one day in the
  // reader's future: that still reads "today", not as a typo.
  function daysSince(isoDate, now) {
    var match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(isoDate || "");
    if (!match) return NaN;
    var reviewed = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    return Math.round((today - reviewed) / 86400000); // round: a day across a DST change is 23 or 25 hours
  }

  function showReviewAge(root) {
    var now = new Date();
    root.querySelectorAll(".rb-reviewed[data-reviewed]").forEach(function (el) {
      if (el.dataset.rbDone) return;
      el.dataset.rbDone = "1";
      var days = daysSince(el.dataset.reviewed, now);
      if (isNaN(days)) return;
      var note = document.createElement("span");
      var text;
      if (days < -1) {
        // A date more than a time zone ahead of the reader is a typo in the inventory.
        note.className = "rb-stale rb-future";
        text = -days + " days in the future: check the date";
      } else {
        var stale = days > durationDays(el.dataset.staleAfter);
        note.className = stale ? "rb-stale" : "rb-reviewed-age";
        text = (days <= 0 ? "today" : days === 1 ? "1 day ago" : days + " days ago") +
          (stale ? ": overdue for review" : "");
      }
      note.textContent = " (" + text + ")";
      el.appendChild(note);
    });
  }

  // The alert index: filters by severity, owner and tag. Their state lives in the page's address
  // (?severity=P0&owner=...&tag=...), so Back, a shared link and a reload all show the same rows.
  var FILTER_PARAMS = { severity: "severity", owner: "owner", tags: "tag" };

  function setUpFilters(root) {
    var box = root.querySelector(".rb-filters");
    var marker = root.querySelector(".rb-row");  // the alert index's rows carry one
    var table = marker && marker.closest("table");
    if (!box || !table || box.dataset.rbDone) return;
    box.dataset.rbDone = "1";
    box.hidden = false;
    var empty = root.querySelector(".rb-filter-empty");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (row) {
      return row.querySelector(".rb-row");
    });
    var count = document.createElement("span");
    count.className = "rb-filter-count";
    count.setAttribute("role", "status");
    box.appendChild(count);
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));

    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var want = params.get(FILTER_PARAMS[select.dataset.filter]) || "";
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === want; });
        select.value = known ? want : "";
      });
    }

    function toAddress() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var name = FILTER_PARAMS[select.dataset.filter];
        if (select.value) params.set(name, select.value); else params.delete(name);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      try {
        window.history.replaceState(window.history.state, "", address);
      } catch (err) {
        // Some browsers refuse to change the address of a page opened from file://; the filter still works.
      }
    }

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var data = row.querySelector(".rb-row").dataset;
        var ok = selects.every(function (select) {
          var want = select.value;
          if (!want) return true;
          var value = data[select.dataset.filter] || "";
          var have = select.dataset.filter === "tags" ? value.split(" ") : [value];
          return have.indexOf(want) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " alerts";
      table.hidden = shown === 0;
      if (empty) empty.hidden = shown !== 0;
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () { toAddress(); apply(); });
    });
    root.querySelectorAll(".rb-filter-reset").forEach(function (button) {
      button.addEventListener("click", function () {
        selects.forEach(function (select) { select.value = ""; });
        toAddress();
        apply();
        selects[0].focus();
      });
    });
    // A page restored from the back-forward cache, or whose selects the browser refilled, shows what its
    // address says.
    window.addEventListener("pageshow", function () { fromAddress(); apply(); });
    window.addEventListener("popstate", function () { fromAddress(); apply(); });
    fromAddress();
    apply();
  }

  // Downloads (incident reports) from a page opened from file://: the browser would show the file instead
  // of saving it, and a script may not read files. Each download is also written as a small script that
  // hands its text to runbookgenDownload; the text is saved from memory.
  var pendingDownload = null;
  window.runbookgenDownload = function (file) {
    if (!pendingDownload) return;
    var name = pendingDownload.getAttribute("download") || file.name;
    pendingDownload = null;
    var blob = new Blob([file.text], { type: "text/markdown;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  };

  function setUpDownloads(root) {
    if (window.location.protocol !== "file:") return;  // over http the link downloads by itself
    root.querySelectorAll("a[download][data-script]").forEach(function (link) {
      if (link.dataset.rbDone) return;
      link.dataset.rbDone = "1";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        pendingDownload = link;
        var script = document.createElement("script");
        script.src = link.dataset.script;
        script.onload = function () { script.remove(); };
        script.onerror = function () {  // no script beside the file: at least show the file
          script.remove();
          pendingDownload = null;
          window.location.href = link.href;
        };
        document.head.appendChild(script);
      });
    });
  }

  // Code lines are blocks (runbookgen.css gives them a hanging indent, so a wrapped line reads as a
  // continuation); each line's own newline would then count twice in what a selection copies. Drop it: the
  // block boundary is the newline. The copy button copies the text exactly as written (Material takes it
  // from data-copy when there is one).
  function joinCodeLines(root) {
    root.querySelectorAll("pre > code").forEach(function (code) {
      if (!code.hasAttribute("data-copy")) code.setAttribute("data-copy", code.textContent);
    });
    root.querySelectorAll("pre > code > span[id^='__span-']").forEach(function (line) {
      if (line.textContent === "\n") return;  // an empty line keeps its newline, or it would not show at all
      var last = line.lastChild;
      while (last && last.nodeType !== 3) last = last.lastChild;
      if (last && last.data.charAt(last.data.length - 1) === "\n") last.data = last.data.slice(0, -1);
    });
  }

  // The Grafana Explore and Prometheus links of an alert page's queries. The page writes each expression once,
  // in its code block; the link templates (.rb-link-table: [kind, before, after, encoding, datasource]) once per
  // page; and where a query is named, its title carries the query's key (data-q) and its templates (data-t).
  // The link is before + the expression, encoded exactly as runbookgen's Python writes it, + after: a real link
  // that opens, middle-clicks and copies like any other.
  var LINK_TEXT = { explore: "Open in Grafana Explore", prometheus: "Open in Prometheus" };

  function percent(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function jsonBody(text) {  // the inside of a JSON string, non-ASCII as \uXXXX (Python's json.dumps)
    return JSON.stringify(text).slice(1, -1).replace(/[\u0080-\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function codeAfter(slot) {  // the code block that follows a query's title, before anything else is named
    var block = slot.closest("p");
    for (var el = block && block.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.matches(".highlight")) return el.querySelector("code");
      if (/^H[1-6]$/.test(el.tagName) || el.querySelector(".rb-query-title")) return null;
    }
    return null;
  }

  function buildQueryLinks(root) {
    var holder = root.querySelector(".rb-link-table[data-links]");
    if (!holder || holder.dataset.rbDone) return;
    holder.dataset.rbDone = "1";
    var table;
    try { table = JSON.parse(holder.dataset.links); } catch (err) { return; }
    if (!Array.isArray(table)) return;
    var slots = Array.prototype.slice.call(root.querySelectorAll(".rb-query-title[data-q][data-t]"));
    var exprs = {};
    slots.forEach(function (slot) {
      if (Object.prototype.hasOwnProperty.call(exprs, slot.dataset.q)) return;
      var code = codeAfter(slot);
      if (!code) return;
      var text = code.hasAttribute("data-copy") ? code.getAttribute("data-copy") : code.textContent;
      exprs[slot.dataset.q] = text.replace(/\n$/, "");
    });
    slots.forEach(function (slot) {
      if (!Object.prototype.hasOwnProperty.call(exprs, slot.dataset.q)) return;
      var expr = exprs[slot.dataset.q];
      slot.dataset.t.split(" ").forEach(function (index) {
        var entry = table[Number(index)];
        if (!Array.isArray(entry) || !LINK_TEXT.hasOwnProperty(entry[0])) return;
        var before = String(entry[1]);
        if (!/^https?:\/\//i.test(before)) return;  // only ever a web address, whatever the table says
        var body = entry[3] === "json" ? percent(jsonBody(expr)) : percent(expr);
        var link = document.createElement("a");
        link.className = "rb-" + entry[0];
        link.href = before + body + String(entry[2]);
        if (entry[0] === "explore") link.dataset.datasource = String(entry[4]);
        link.textContent = LINK_TEXT[entry[0]];
        slot.appendChild(document.createTextNode(" · "));
        slot.appendChild(link);
      });
    });
  }

  // Names for Material's navigation landmarks and dialogs, which it leaves unnamed: a screen reader lists
  // several "navigation" regions and cannot tell them apart.
  function nameLandmarks(root) {
    var names = [
      [".md-nav--primary", "Site"], [".md-nav--secondary", "On this page"], [".md-header__inner", "Header"],
      [".md-search__form", "Search"], [".md-search__output", "Search results"], [".md-tabs", "Sections"]
    ];
    names.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
      });
    });
    root.querySelectorAll(".md-nav--primary .md-nav[data-md-level]").forEach(function (nav) {
      if (nav.hasAttribute("aria-label") || nav.hasAttribute("aria-labelledby")) return;
      var title = nav.querySelector(".md-nav__title");
      var text = title && title.textContent.trim();
      if (text) nav.setAttribute("aria-label", text);
    });
    var search = root.querySelector(".md-search");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("role", "dialog");
      search.setAttribute("aria-label", "Search");
    }
  }

  // Print collapsed blocks open (browsers without ::details-content ignore the print stylesheet's rule),
  // and close again afterwards the ones the reader had closed.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  function init() {
    joinCodeLines(document);
    buildQueryLinks(document);
    showReviewAge(document);
    setUpFilters(document);
    setUpDownloads(document);
    nameLandmarks(document);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
