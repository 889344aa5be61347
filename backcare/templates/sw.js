// Backcare's service worker (rendered by backcare/pwa.py, served at /sw.js for the whole site).
// Pages: network first, the kept copy when the network fails. Static files: the kept copy
// first (their names change with their content). A session or check-in posted while the
// network fails is kept in the outbox (outbox.js) and sent by the page when it is back.
"use strict";

var VERSION = "__VERSION__";
var SHELL = "backcare-shell-" + VERSION;
var PAGES = "backcare-pages-" + VERSION;
// Who the server last said is signed in (kept across versions: the worker may stop any time).
var WHO = "backcare-who";
var WHO_KEY = "/sw/signed-in";
var SHELL_FILES = {{ shell_files|safe }};
var PAGES_AT_INSTALL = {{ pages|safe }};
var OFFLINE_URL = {{ offline_url|safe }};
var LOGOUT_URL = {{ logout_url|safe }};
var STATIC_URL = {{ static_url|safe }};
// Never kept: the API, the admin, sign-in pages, the worker itself, and the pages a link's
// secret opens (a done link, a shared report, a calendar feed): revoked or reset, they must stop
// answering, offline too. Their Cache-Control says no-store, but so does every page of a
// signed-in person (PrivateResponsesMiddleware): no-store cannot be the rule here, since keeping
// a person's own pages on their own device is what works offline; this list is.
var NEVER_KEPT = [
  "/api/", "/admin/", "/accounts/", "/sw.js", "/manifest.webmanifest", "/done/", "/report/", "/calendar/",
];

importScripts({{ push_script|safe }}, {{ outbox_script|safe }});

function neverKept(url) {
  var path = new URL(url, self.location.origin).pathname;
  return NEVER_KEPT.some(function (prefix) { return path.indexOf(prefix) === 0; });
}

// The signed-in person, as the server last said: "" for nobody.
function knownUser() {
  return caches.open(WHO).then(function (cache) { return cache.match(WHO_KEY); }).then(function (found) {
    return found ? found.text() : "";
  });
}

function rememberUser(user) {
  return caches.open(WHO).then(function (cache) { return cache.put(WHO_KEY, new Response(user)); });
}

// A page from the server says who is signed in. Someone else than the last one (a session that
// ended without a logout): nothing of the last person's stays on the device.
function noteUser(user) {
  return knownUser().then(function (known) {
    if (known === user) return undefined;
    var forget = known ? caches.delete(PAGES) : Promise.resolve();
    return forget.then(function () { return rememberUser(user); });
  });
}

function userOf(html) {
  var body = /<body\b[^>]*>/i.exec(html);
  var user = body && /\sdata-user="([^"]*)"/.exec(body[0]);
  // A username is letters, digits and @.+-_ (Django's validator): nothing in it is escaped.
  return user ? user[1] : "";
}

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

// The page is put last: once it is kept, so is everything it shows. An HTML page first says
// who it is for, so that it never joins the pages kept for someone else.
function keepPage(request, response) {
  if (!keepable(response) || neverKept(request.url)) return Promise.resolve();
  var copy = response.clone();
  var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  var pictures = html ? response.clone().text().then(function (text) {
    return noteUser(userOf(text)).then(function () { return keepPictures(text); });
  }) : Promise.resolve();
  return pictures.then(function () {
    return caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
  });
}

function fetchAndKeep(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    return keepPage(new Request(url), response);
  }).catch(function () {});
}

// The offline page is the shell's: it stays after a logout empties the pages kept. It is a
// visitor's, so that it names nobody to whoever sees it later.
function keepOfflinePage(cache) {
  return fetch(OFFLINE_URL, { credentials: "omit" }).then(function (response) {
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
        return name.indexOf("backcare-") === 0 && name !== SHELL && name !== PAGES && name !== WHO;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// A page says who is signed in, when someone is (a page kept for the last person names them, or
// nobody); and asks for the pages it links to (today's routine, its player, the catalog's routines).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "signed-in" && typeof data.user === "string" && data.user) {
    event.waitUntil(noteUser(data.user));
  }
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

// A log form posted while the network fails: keep what it said in the outbox, as the signed-in
// person's, and show them a page that tells them so, instead of the browser's own error. With
// nobody known to be signed in, nothing is kept: only its owner's session ever sends an item.
function postOrKeep(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return Promise.all([copy.formData(), knownUser()]).then(function (got) {
      var item = BackcareOutbox.fromForm(new URL(copy.url).pathname, got[0], BackcareOutbox.localToday());
      if (!item) throw new Error("not a log form");
      if (!got[1]) return undefined;
      item.user = got[1];
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
      event.respondWith(Promise.all([caches.delete(PAGES), rememberUser("")]).then(function () { return fetch(request); }));
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
  if (neverKept(request.url)) return;
  event.respondWith(networkFirst(request));
});
