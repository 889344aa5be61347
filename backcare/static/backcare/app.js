// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Pre-fill a time zone field with the browser's own zone when it is still the default.
  document.addEventListener("DOMContentLoaded", function () {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
    document.querySelectorAll("select[data-guess-timezone]").forEach(function (select) {
      if (!zone || select.dataset.userChosen) return;
      if (select.value === "UTC" && Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
        select.value = zone;
      }
    });
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("submit", function (event) {
        if (!window.confirm(el.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
