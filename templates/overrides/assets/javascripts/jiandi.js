/* Reading aids (适老化): 大字 (large type) and 高对比度 (high contrast), turned on from the header
   of every page and kept in this browser's localStorage. No other script, no other host.
   The setting is applied before the page is drawn by the inline script in main.html; this
   file wires the buttons. */
(function () {
  "use strict";
  var KEY = "jiandi.aids";
  var root = document.documentElement;

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function save(aids) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(aids));
    } catch (error) {
      /* private browsing: the setting holds for this page only */
    }
  }

  function show(aids) {
    root.classList.toggle("jd-large", !!aids.large);
    root.classList.toggle("jd-contrast", !!aids.contrast);
    document.querySelectorAll("[data-jd-aid]").forEach(function (button) {
      button.setAttribute("aria-pressed", aids[button.getAttribute("data-jd-aid")] ? "true" : "false");
    });
  }

  var aids = load();
  show(aids);
  document.querySelectorAll("[data-jd-aid]").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-jd-aid");
      aids[name] = !aids[name];
      save(aids);
      show(aids);
    });
  });
})();
