// The reminders page's "Send reminders to this browser" button: subscribes this browser with the
// service worker's pushManager and hands the subscription to /api/v1/push-subscriptions/.
// Without a service worker, Push API or permission, the card says so; the rest of the page
// works without this script.
(function () {
  "use strict";
  var STORED = "backcare.push-subscription-id";

  function base64UrlToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function withTimeout(promise, ms, message) {
    return Promise.race([
      promise,
      new Promise(function (_, reject) { window.setTimeout(function () { reject(new Error(message)); }, ms); })
    ]);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var card = document.querySelector("[data-push-card]");
    if (!card) return;
    var status = card.querySelector("[data-push-status]");
    var subscribe = card.querySelector("[data-push-subscribe]");
    var unsubscribe = card.querySelector("[data-push-unsubscribe]");
    var csrf = card.querySelector("input[name=csrfmiddlewaretoken]").value;

    function say(text) { status.textContent = text; }
    function show(subscribed) {
      subscribe.hidden = subscribed;
      unsubscribe.hidden = !subscribed;
    }

    function send(method, url, body) {
      return fetch(url, {
        method: method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: body ? JSON.stringify(body) : undefined
      }).then(function (response) {
        if (!response.ok && response.status !== 404) throw new Error("The server answered " + response.status + ".");
        return response.status === 204 || response.status === 404 ? null : response.json();
      });
    }

    // The subscription as the server should hold it (the same endpoint again returns its row).
    function register(subscription) {
      return send("POST", card.dataset.subscriptionsUrl, subscription.toJSON()).then(function (row) {
        window.localStorage.setItem(STORED, String(row.id));
        return row;
      });
    }

    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say("This browser cannot receive push notifications; reminders still come by email if you choose it.");
      return;
    }
    say("Checking this browser…");
    // The site's service worker (/sw.js, registered by app.js on every page) carries the push handlers.
    var ready = withTimeout(navigator.serviceWorker.ready, 10000,
      "The site's offline helper (service worker) is not running in this browser yet: reload the page.");

    ready.then(function (registration) { return registration.pushManager.getSubscription(); }).then(function (existing) {
      if (existing) {
        return register(existing).then(function () {
          say("This browser gets your push reminders.");
          show(true);
        });
      }
      say(Notification.permission === "denied"
        ? "Notifications are blocked for this site in the browser's settings."
        : "This browser does not get push reminders yet.");
      show(false);
    }).catch(function (error) { say(error.message); show(false); });

    subscribe.addEventListener("click", function () {
      subscribe.disabled = true;
      say("Asking the browser…");
      ready.then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlToBytes(card.dataset.pushKey)
        });
      }).then(register).then(function () {
        say("Done: this browser gets your push reminders. Tick \"Push notification\" below and save to receive them.");
        show(true);
      }).catch(function (error) {
        say(Notification.permission === "denied"
          ? "Notifications are blocked for this site: allow them in the browser's settings, then try again."
          : "Could not subscribe this browser: " + error.message);
      }).then(function () { subscribe.disabled = false; });
    });

    unsubscribe.addEventListener("click", function () {
      unsubscribe.disabled = true;
      var id = window.localStorage.getItem(STORED);
      ready.then(function (registration) { return registration.pushManager.getSubscription(); })
        .then(function (existing) { return existing ? existing.unsubscribe() : true; })
        .then(function () { return id ? send("DELETE", card.dataset.subscriptionsUrl + id + "/") : null; })
        .then(function () {
          window.localStorage.removeItem(STORED);
          say("This browser no longer gets push reminders.");
          show(false);
        })
        .catch(function (error) { say("Could not unsubscribe: " + error.message); })
        .then(function () { unsubscribe.disabled = false; });
    });
  });
})();
