// The outbox: sessions and check-ins logged without a connection, kept in IndexedDB until
// they reach the API. Loaded by the pages (offline.js) and by the service worker, so it
// touches no DOM. Each item carries the client_id its form was given: the API stores a
// client_id once per person, so sending an item again never logs it twice.
(function (scope) {
  "use strict";

  var DB_NAME = "backcare-outbox";
  var STORE = "items";
  var API = { sessions: "/api/v1/sessions/", "pain-entries": "/api/v1/pain-entries/" };
  var NUMBERS = ["duration_minutes", "steps_completed", "pain_before", "pain_after", "score"];
  var LISTS = ["areas", "factors"];

  // Which log a form's path makes, and the routine when the path names it (the player).
  function kindOf(path) {
    var player = /^\/play\/([\w-]+)\/$/.exec(path);
    if (player) return { kind: "sessions", routine: player[1] };
    if (path === "/sessions/new/") return { kind: "sessions" };
    if (path === "/pain/new/") return { kind: "pain-entries" };
    return null;
  }

  function localToday() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // A log form's fields (FormData, from the page or from a posted request) as the API's body.
  function fromForm(path, form, today) {
    var where = kindOf(path);
    if (!where) return null;
    var body = {};
    form.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || value === "") return;
      if (LISTS.indexOf(name) >= 0) (body[name] = body[name] || []).push(value);
      else if (NUMBERS.indexOf(name) >= 0) body[name] = parseInt(value, 10);
      else body[name] = value;
    });
    if (where.routine) {
      // The player's form leaves the routine and the date to the server: the page's own, and the day it was done.
      body.routine = where.routine;
      body.date = body.date || today;
    }
    if (!body.client_id) body.client_id = newId();
    return { client_id: body.client_id, kind: where.kind, body: body, kept_at: new Date().toISOString() };
  }

  function newId() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transact(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return transact("readwrite", function (store) { store.put(item); }); }
  function remove(clientId) { return transact("readwrite", function (store) { store.delete(clientId); }); }
  function all() { return transact("readonly", function (store) { return store.getAll(); }); }

  // Whose items a person's session sends: their own, never another's, never an item without an owner.
  function mine(items, user) {
    return items.filter(function (item) { return !!user && item.user === user; });
  }

  // Send what the outbox holds for this person (the page and the service worker both write
  // its owner on every item). An item without an owner (kept by an older worker) is nobody's to
  // send: it is dropped. Answers {sent, refused, waiting, stopped}.
  function send(user, csrfToken) {
    var report = { sent: [], refused: [], waiting: 0, stopped: null };
    return all().then(function (items) {
      var unowned = items.filter(function (item) { return !item.user; });
      return Promise.all(unowned.map(function (item) { return remove(item.client_id); })).then(function () {
        return mine(items, user);
      });
    }).then(function (items) {
      return items.reduce(function (previous, item) {
        return previous.then(function () {
          if (report.stopped) { report.waiting += 1; return; }
          return scope.fetch(API[item.kind], {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
            body: JSON.stringify(item.body),
          }).then(function (response) {
            if (response.status === 200 || response.status === 201) {
              report.sent.push(item);
              return remove(item.client_id);
            }
            if (response.status === 400) {
              // The server will never take it: say so, and keep it out of the way of the rest.
              return response.json().catch(function () { return {}; }).then(function (detail) {
                report.refused.push({ item: item, detail: detail });
                item.refused = detail;
                return remove(item.client_id);
              });
            }
            report.stopped = response.status === 401 || response.status === 403 ? "signed-out" : "server";
            report.waiting += 1;
          }, function () {
            report.stopped = "offline";
            report.waiting += 1;
          });
        });
      }, Promise.resolve());
    }).then(function () { return report; });
  }

  scope.BackcareOutbox = {
    kindOf: kindOf, fromForm: fromForm, localToday: localToday, newId: newId,
    add: add, remove: remove, all: all, mine: mine, send: send,
  };
})(self);
