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

  function setUpFilters(root) {
    var box = root.querySelector(".rb-filters");
    var marker = root.querySelector(".rb-row");  // the alert index's rows carry one
    var table = marker && marker.closest("table");
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
