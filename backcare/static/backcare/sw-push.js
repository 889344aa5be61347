// Web push for the service worker (push and notificationclick events): helper C's part of
// issue 16 fills this file; /sw.js imports it with importScripts. Empty until then.
