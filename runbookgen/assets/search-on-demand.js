/* runbookgen: the search index and the search worker are loaded when the reader uses search, not on every page.
 *
 * The theme asks for search/search_index.json (over http) or search/search_index.js (from file://) as soon as a
 * page opens, for search and for highlighting, and starts its search worker: at 10,000 alerts a few megabytes on
 * every page view. Loaded before the theme's script, this holds those requests back until the reader opens
 * search (the search box, its keyboard shortcut or its button) or arrives from a search result (?h=...), and
 * starts the worker only when the theme first hands it the index. The index then comes once per page view that
 * uses search, from the browser's cache after the first.
 */
(function () {
  "use strict";

  var INDEX = /(^|\/)search\/search_index\.js(on)?$/;
  var WORKER = /(^|\/)assets\/javascripts\/workers\/search\.[0-9a-f]+\.min\.js$/;
  var used = /[?&]h=/.test(window.location.search);
  var waiting = [];

  function pathOf(url) {
    try {
      return new URL(String(url), window.location.href).pathname;
    } catch (err) {
      return "";
    }
  }

  function whenUsed(run) {
    if (used) run(); else waiting.push(run);
  }

  function use() {
    if (used) return;
    used = true;
    var runs = waiting;
    waiting = [];
    runs.forEach(function (run) { run(); });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-toggle=search]") && target.checked) use();
  }, true);
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) use();
  }, true);

  // Over http: the index is one XMLHttpRequest, sent once search is used.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.rbSearchIndex = INDEX.test(pathOf(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.rbSearchIndex) return send.apply(request, args);
    whenUsed(function () {
      try {
        send.apply(request, args);
      } catch (err) {
        // aborted before search was used: nothing to send
      }
    });
  };

  // From file://: the index is a script the theme adds to <head>, added once search is used.
  var head = document.head;
  var append = head.appendChild;
  head.appendChild = function (node) {
    if (!used && node && node.tagName === "SCRIPT" && INDEX.test(pathOf(node.src))) {
      whenUsed(function () { append.call(head, node); });
      return node;
    }
    return append.apply(this, arguments);
  };

  // The search worker starts on its first message: the theme sends the index first, after search is used.
  var Base = window.Worker;
  if (typeof Base !== "function") return;

  class OnDemandWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.url = url;
      this.options = options;
      this.real = null;
    }

    start() {
      if (this.real) return this.real;
      var real = new Base(this.url, this.options);
      var self = this;
      ["message", "messageerror", "error"].forEach(function (type) {
        real.addEventListener(type, function (event) {
          var copy = type === "error"
            ? new ErrorEvent("error", { message: event.message, filename: event.filename, lineno: event.lineno,
                                        colno: event.colno, error: event.error })
            : new MessageEvent(type, { data: event.data });
          self.dispatchEvent(copy);
          var handler = self["on" + type];
          if (typeof handler === "function") handler.call(self, copy);
        });
      });
      this.real = real;
      return real;
    }

    postMessage(data, transfer) {
      this.start().postMessage(data, transfer);
    }

    terminate() {
      if (this.real) this.real.terminate();
    }
  }

  window.Worker = function (url, options) {
    return WORKER.test(pathOf(url)) ? new OnDemandWorker(url, options) : new Base(url, options);
  };
})();
