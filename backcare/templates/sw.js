// Backcare's service worker (rendered by backcare/pwa.py, served at /sw.js for the whole site).
// Pages: network first, the kept copy when the network fails. Static files: the kept copy
// first (their names change with their content). A session or check-in posted while the
// network fails is kept in the outbox (outbox.js) and sent by the page when it is back.
"use strict";

var VERSION = "__VERSION__";
var SHELL = "backcare-shell-" + VERSION;
var PAGES = "backcare-pages-" + VERSION;
var SHELL_FILES = {{ shell_files|safe }};
var PAGES_AT_INSTALL = {{ pages|safe }};
var OFFLINE_URL = {{ offline_url|safe }};
var LOGOUT_URL = {{ logout_url|safe }};
var STATIC_URL = {{ static_url|safe }};
// Never kept: the API, the admin, sign-in pages and the worker itself.
var NEVER_KEPT = ["/api/", "/admin/", "/accounts/", "/sw.js", "/manifest.webmanifest"];

importScripts({{ push_script|safe }}, {{ outbox_script|safe }});

function keepable(response) {
  // A redirect cannot answer a navigation later; an error page is not worth keeping.
  return response && response.ok && !response.redirected && response.type === "basic";
}

// The pictures a page shows (the player's figures are named in its JSON): kept with it, so the
// page works offline as a whole.
function keepPictures(html) {
  var pattern = new RegExp(STATIC_URL.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + "[\\w./-]+\\.(?:svg|png|jpg|webp)", "g");
  var urls = Array.from(new Set(html.match(pattern) || []));
  return caches.open(SHELL).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (found) {
        return found || fetch(url).then(function (response) {
          if (keepable(response)) return cache.put(url, response);
        });
      }).catch(function () {});
    }));
  });
}

// The page is put last: once it is kept, so is everything it shows.
function keepPage(request, response) {
  if (!keepable(response)) return Promise.resolve();
  var copy = response.clone();
  var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  var pictures = html ? response.clone().text().then(keepPictures) : Promise.resolve();
  return pictures.then(function () {
    return caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
  });
}

function fetchAndKeep(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    return keepPage(new Request(url), response);
  }).catch(function () {});
}

// The offline page is the shell's: it stays after a logout empties the pages kept.
function keepOfflinePage(cache) {
  return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
    if (keepable(response)) return cache.put(OFFLINE_URL, response);
    throw new Error("no offline page");
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(SHELL_FILES).then(function () { return keepOfflinePage(cache); }); })
      .then(function () { return Promise.all(PAGES_AT_INSTALL.map(fetchAndKeep)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("backcare-") === 0 && name !== SHELL && name !== PAGES;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// A page asks for the pages it links to (today's routine, its player, the catalog's routines).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    event.waitUntil(Promise.all(data.urls.filter(function (url) {
      return new URL(url, self.location.origin).origin === self.location.origin;
    }).map(fetchAndKeep)));
  }
});

function keptPage(request) {
  var options = { ignoreVary: true };
  return caches.match(request, options).then(function (found) {
    // The player opened with ?speed=… or a list on another page: the same page, kept without its query.
    return found || caches.match(request, { ignoreVary: true, ignoreSearch: true });
  }).then(function (found) {
    if (found) return found;
    // "/" sends a signed-in person to their dashboard: offline, show the dashboard kept.
    if (new URL(request.url).pathname === "/") return caches.match("/dashboard/", options);
    return undefined;
  }).then(function (found) {
    return found || caches.match(OFFLINE_URL, options);
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    keepPage(request, response);
    return response;
  }, function () {
    return keptPage(request).then(function (found) {
      return found || Response.error();
    });
  });
}

function keptFirst(request) {
  return caches.match(request).then(function (found) {
    if (found) return found;
    return fetch(request).then(function (response) {
      if (keepable(response)) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

// A log form posted while the network fails: keep what it said in the outbox and show the
// person a page that tells them so, instead of the browser's own error.
function postOrKeep(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (form) {
      var item = BackcareOutbox.fromForm(new URL(copy.url).pathname, form, BackcareOutbox.localToday());
      if (!item) throw new Error("not a log form");
      return BackcareOutbox.add(item);
    }).then(function () {
      return Response.redirect(OFFLINE_URL, 303);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (url.pathname === LOGOUT_URL) {
      // Nothing of this person's stays on the device after they log out.
      event.respondWith(caches.delete(PAGES).then(function () { return fetch(request); }));
    } else if (request.mode === "navigate" && BackcareOutbox.kindOf(url.pathname)) {
      event.respondWith(postOrKeep(request));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf(STATIC_URL) === 0) {
    event.respondWith(keptFirst(request));
    return;
  }
  if (NEVER_KEPT.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) return;
  event.respondWith(networkFirst(request));
});
