// Installable and offline, on the page's side: registers the service worker (/sw.js), keeps a
// log form posted without a connection in the outbox (outbox.js), sends the outbox when the
// connection returns, and says what is waiting. Without it every form posts as usual.
(function () {
  "use strict";

  var Outbox = window.BackcareOutbox;
  var REFUSED_KEY = "backcare-outbox-refused";
  var sending = false;

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function user() { return document.body.dataset.user || ""; }

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function banner() { return document.getElementById("outbox-status"); }

  // Lines of text; a line given as {text, href} is a link.
  function say(lines) {
    var element = banner();
    if (!element) return;
    element.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      if (line.href) {
        var link = document.createElement("a");
        link.href = line.href;
        link.textContent = line.text;
        p.appendChild(link);
      } else {
        p.textContent = line;
      }
      element.appendChild(p);
    });
    element.hidden = lines.length === 0;
  }

  // Pain logged offline is judged when it arrives: the server's own warning (the progress API's,
  // from the one source of warnings) is shown as it would have been after logging online.
  function painWarning() {
    return window.fetch("/api/v1/progress/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (progress) {
        if (!progress.warning) return [];
        return progress.warning.messages.concat([{ text: "Please read the warning signs and the flare-up plan", href: "/warning-signs/" }]);
      }, function () { return []; });
  }

  function refusedLines() {
    var refused = JSON.parse(window.localStorage.getItem(REFUSED_KEY) || "[]");
    return refused.map(function (entry) {
      return "Not saved (" + entry.what + " of " + entry.date + "): " + entry.reason;
    });
  }

  function describe(item) { return item.kind === "sessions" ? "session" : "check-in"; }

  function reasonOf(detail) {
    var messages = [];
    Object.keys(detail || {}).forEach(function (field) {
      [].concat(detail[field]).forEach(function (message) { messages.push(message); });
    });
    return messages.join(" ") || "the server refused it.";
  }

  // What the banner says: waiting entries, the ones just sent, the ones the server refused.
  function show(extra) {
    return Outbox.all().then(function (items) {
      var waiting = Outbox.mine(items, user()).length;
      var lines = [];
      if (waiting) {
        lines.push(plural(waiting, "entry", "entries") + " waiting to be sent." +
          (navigator.onLine ? "" : " They will be sent when you are back online."));
      }
      say(lines.concat(extra || [], refusedLines()));
      if (banner()) banner().classList.toggle("waiting", waiting > 0);
      document.body.dataset.outboxWaiting = String(waiting);
    });
  }

  function flush() {
    if (sending || !user() || !navigator.onLine) return Promise.resolve(null);
    sending = true;
    return Outbox.send(user(), csrfToken()).then(function (report) {
      sending = false;
      if (report.refused.length) {
        var refused = JSON.parse(window.localStorage.getItem(REFUSED_KEY) || "[]");
        report.refused.forEach(function (entry) {
          refused.push({ what: describe(entry.item), date: entry.item.body.date, reason: reasonOf(entry.detail) });
        });
        window.localStorage.setItem(REFUSED_KEY, JSON.stringify(refused));
      }
      var extra = [];
      if (report.sent.length) {
        var time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        extra.push(plural(report.sent.length, "entry", "entries") + " sent at " + time + ".");
        document.body.dataset.outboxSent = String(Number(document.body.dataset.outboxSent || 0) + report.sent.length);
      }
      if (report.stopped === "signed-out") extra.push("Log in again to send what is waiting.");
      var warning = report.sent.length ? painWarning() : Promise.resolve([]);
      return warning.then(function (lines) {
        return show(extra.concat(lines)).then(function () {
          if (banner()) banner().classList.toggle("alert", lines.length > 0);
        });
      }).then(function () { return report; });
    }, function (error) {
      sending = false;
      throw error;
    });
  }

  // A form shown (from the server or from the kept copy) gets a fresh client_id: a double
  // submit of this one form logs once, while a kept page opened twice logs twice.
  function prepare(form) {
    if (form.elements.client_id) form.elements.client_id.value = Outbox.newId();
    form.addEventListener("submit", function (event) {
      if (navigator.onLine || !user()) return;
      event.preventDefault();
      var path = new URL(form.action, window.location.href).pathname;
      var item = Outbox.fromForm(path, new FormData(form), Outbox.localToday());
      if (!item) return;
      item.user = user();
      // The form keeps its client_id: pressed again, it replaces this item instead of adding one.
      Outbox.add(item).then(function () {
        return show(["Saved on this device: your " + describe(item) + " will be sent when you are back online."]);
      }).then(function () {
        var element = banner();
        element.focus();
        element.scrollIntoView({ block: "center" });
      });
    });
  }

  // The pages this one links to for offline use; the catalog once per signed-in browser
  // session too, so that the copy kept offline has this person's menu, not a visitor's.
  function keepLinkedPages() {
    if (!navigator.serviceWorker.controller) return;
    // Who is signed in: the worker writes them on the log forms it keeps for later.
    if (user()) navigator.serviceWorker.controller.postMessage({ type: "signed-in", user: user() });
    var links = Array.prototype.slice.call(document.querySelectorAll("a[data-keep-offline]"));
    var kept = "backcare-kept-for";
    if (user() && window.sessionStorage.getItem(kept) !== user()) {
      links = links.concat(Array.prototype.slice.call(document.querySelectorAll("a[data-keep-offline-once]")));
      window.sessionStorage.setItem(kept, user());
    }
    if (!links.length) return;
    var urls = links.map(function (link) { return link.href; });
    navigator.serviceWorker.controller.postMessage({ type: "keep-pages", urls: urls });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(keepLinkedPages).catch(function () {});
    navigator.serviceWorker.addEventListener("controllerchange", keepLinkedPages);
  }

  window.BackcareOffline = { flush: flush, show: show };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.indexedDB || !Outbox) return;
    document.querySelectorAll("form[data-outbox]").forEach(prepare);
    show().then(flush).catch(function () {});
    window.addEventListener("online", function () {
      // A page kept before the person signed in does not say who they are: the page from the
      // server does, and sends what waits.
      if (!user()) {
        Outbox.all().then(function (items) { if (items.length) window.location.reload(); });
        return;
      }
      flush().catch(function () {});
    });
    window.addEventListener("offline", function () { show().catch(function () {}); });
  });
})();
