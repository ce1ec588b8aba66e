/* iframe-worker 1.0.4 shim, MIT License, Copyright (c) 2020-2022 Martin Donath. Vendored so that offline search loads nothing from the internet.
   Changed for runbookgen: the worker's global functions are set on the frame from here instead of by an inline
   <script> written into it, so that the site's Content-Security-Policy allows no inline script but the theme's. */
"use strict";
(() => {
  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      document.body.appendChild(this.iframe = frame);
      const w = this.w;
      w.document.open();
      // A dedicated worker's globals: messages go to this object, scripts load one after another
      w.postMessage = (data) => this.emit(new MessageEvent("message", {data: structuredClone(data)}));
      w.importScripts = (...urls) => urls.reduce((done, next) => done.then(() => new Promise((resolve) => {
        const script = w.document.createElement("script");
        script.src = next;
        script.onload = resolve;
        w.document.body.appendChild(script);
      })), Promise.resolve());
      w.addEventListener("error", ({message, filename, lineno, colno, error}) => {
        if (filename && !filename.startsWith(new URL(url, location.href).href)) return;
        this.emit(new ErrorEvent("error", {message, filename: url, lineno, colno, error}), "onerror");
      });
      const src = `${url}?${+Date.now()}`.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
      w.document.write(`<html><body><script src="${src}"></script></body></html>`);
      w.document.close();
      this.ready = new Promise((resolve, reject) => {
        w.onload = resolve;
        w.onerror = reject;
      });
    }

    emit(event, handler = "onmessage") {
      this.dispatchEvent(event);
      if (typeof this[handler] === "function") this[handler](event);
    }

    terminate() {
      this.iframe.remove();
    }

    postMessage(data) {
      this.ready.catch(() => undefined).then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({data})));
      });
    }

    get w() {
      return this.iframe.contentWindow;
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
