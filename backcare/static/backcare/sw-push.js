// Web push in the service worker: /sw.js loads this with importScripts("/static/backcare/sw-push.js").
// The payload is the JSON the sender writes (tracker/reminders/content.py, reminder_push):
// {"title", "body", "url", "tag"}. A tap opens the url, or focuses a tab already showing it.
(function (scope) {
  "use strict";
  var FALLBACK = { title: "Backcare", body: "Time to look after your back.", url: "/" };

  function readPayload(event) {
    if (!event.data) return FALLBACK;
    try {
      var payload = event.data.json();
      return payload && typeof payload === "object" ? payload : FALLBACK;
    } catch (e) {
      return { title: FALLBACK.title, body: event.data.text(), url: FALLBACK.url };
    }
  }

  // Only our own pages: a payload cannot send a tap elsewhere.
  function sameOriginUrl(url) {
    try {
      var target = new URL(url || "/", scope.location.origin);
      return target.origin === scope.location.origin ? target.href : scope.location.origin + "/";
    } catch (e) {
      return scope.location.origin + "/";
    }
  }

  scope.addEventListener("push", function (event) {
    var payload = readPayload(event);
    var options = {
      body: payload.body || "",
      icon: "/static/backcare/icon.svg",
      badge: "/static/backcare/icon.svg",
      data: { url: sameOriginUrl(payload.url) }
    };
    if (payload.tag) options.tag = payload.tag;
    event.waitUntil(scope.registration.showNotification(payload.title || FALLBACK.title, options));
  });

  scope.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var url = sameOriginUrl(event.notification.data && event.notification.data.url);
    event.waitUntil(
      scope.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
        for (var i = 0; i < windows.length; i += 1) {
          if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
        }
        return scope.clients.openWindow(url);
      })
    );
  });
})(self);
