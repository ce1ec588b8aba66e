/* runbookgen: filters for the alert index, and how long ago each runbook was reviewed.
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

  function showReviewAge(root) {
    var now = new Date();
    root.querySelectorAll(".rb-reviewed[data-reviewed]").forEach(function (el) {
      if (el.dataset.rbDone) return;
      el.dataset.rbDone = "1";
      var reviewed = new Date(el.dataset.reviewed + "T00:00:00Z");
      var days = Math.floor((now - reviewed) / 86400000);
      if (isNaN(days)) return;
      var note = document.createElement("span");
      var stale = days > durationDays(el.dataset.staleAfter);
      note.className = stale ? "rb-stale" : "rb-reviewed-age";
      var ago = days <= 0 ? "today" : days === 1 ? "1 day ago" : days + " days ago";
      note.textContent = " (" + ago + (stale ? ": overdue for review" : "") + ")";
      el.appendChild(note);
    });
  }

  function setUpFilters(root) {
    var box = root.querySelector(".rb-filters");
    var table = root.querySelector("table.rb-alert-index") || (box && box.parentNode.querySelector("table"));
    if (!box || !table || box.dataset.rbDone) return;
    box.dataset.rbDone = "1";
    box.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (row) {
      return row.querySelector(".rb-row");
    });
    var count = document.createElement("span");
    count.className = "rb-filter-count";
    box.appendChild(count);
    var selects = box.querySelectorAll("select[data-filter]");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (select) {
          var want = select.value;
          if (!want) return;
          var data = row.querySelector(".rb-row").dataset;
          var value = data[select.dataset.filter] || "";
          var have = select.dataset.filter === "tags" ? value.split(" ") : [value];
          if (have.indexOf(want) < 0) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " alerts";
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }

  function init() {
    showReviewAge(document);
    setUpFilters(document);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
