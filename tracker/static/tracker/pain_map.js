// The pain check-in's body map: tapping an area on one side ticks that area in the list below and
// sets the side (left, right, or both when areas on both sides are marked). The list stays the
// form's truth and works on its own without JavaScript; the map only mirrors and edits it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.querySelector("[data-pain-map]");
    if (!holder) return;
    var form = holder.closest("form");
    var regions = Array.prototype.slice.call(holder.querySelectorAll(".bm-area"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=areas]"));
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=side]"));
    var picked = {};

    function key(area, side) { return area + ":" + side; }
    function sideValue() {
      var checked = radios.filter(function (r) { return r.checked; })[0];
      return checked ? checked.value : "";
    }
    function sidesFor(side) { return side === "left" || side === "right" ? [side] : ["left", "right"]; }

    // From the list to the map: every ticked area, on the side the radio says.
    function readList() {
      picked = {};
      var sides = sidesFor(sideValue());
      boxes.forEach(function (box) {
        if (box.checked) sides.forEach(function (side) { picked[key(box.value, side)] = true; });
      });
      paint();
    }
    // From the map to the list: the areas marked, and the side they are on.
    function writeList() {
      var areas = {}, sides = {};
      Object.keys(picked).forEach(function (k) {
        var parts = k.split(":");
        areas[parts[0]] = true;
        sides[parts[1]] = true;
      });
      boxes.forEach(function (box) { box.checked = !!areas[box.value]; });
      var side = sides.left && sides.right ? "both" : sides.left ? "left" : sides.right ? "right" : null;
      var current = sideValue();
      // Keep "in the middle" when it still describes the marks (both sides of a central area).
      if (side === "both" && current === "center") side = "center";
      if (side !== null) radios.forEach(function (r) { r.checked = r.value === side; });
      paint();
    }
    function paint() {
      regions.forEach(function (region) {
        var on = !!picked[key(region.dataset.area, region.dataset.side)];
        region.classList.toggle("is-picked", on);
        region.setAttribute("aria-checked", on ? "true" : "false");
      });
    }
    function toggle(region) {
      var k = key(region.dataset.area, region.dataset.side);
      if (picked[k]) delete picked[k]; else picked[k] = true;
      writeList();
    }

    regions.forEach(function (region) {
      region.setAttribute("role", "checkbox");
      region.setAttribute("tabindex", "0");
      region.addEventListener("click", function () { toggle(region); });
      region.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Enter") { event.preventDefault(); toggle(region); }
      });
    });
    boxes.concat(radios).forEach(function (input) { input.addEventListener("change", readList); });
    holder.hidden = false;
    readList();
  });
})();
