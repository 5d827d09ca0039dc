// Registers the service worker (/sw.js, labimpact/offline.py) that keeps the desk pages,
// guides and posters a reader opened for reading offline, and shows on such a saved copy
// when it was saved. A static file, not an inline script: the CSP forbids those.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = document.documentElement;

  // A saved copy served offline: the worker put the date it was saved on <html>.
  function showSavedBanner() {
    var saved = root.getAttribute("data-offline-saved");
    if (saved === null) return;
    var date = new Date(saved);
    var when = isNaN(date) ? "" : new Intl.DateTimeFormat(root.lang || undefined, { dateStyle: "long", timeStyle: "short" }).format(date);
    var banner = document.createElement("div");
    banner.className = "offline-banner";
    banner.setAttribute("role", "status");
    banner.textContent = script.dataset.saved.replace("__DATE__", when);
    var main = document.getElementById("main");
    (main || document.body).insertBefore(banner, (main || document.body).firstChild);
  }

  function keepThisPage(worker) {
    var keep = [location.pathname];
    var files = document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=preload][href], link[rel=icon][href]");
    for (var i = 0; i < files.length; i++) keep.push(files[i].getAttribute("href") || files[i].getAttribute("src"));
    if (script.dataset.offline) keep.push(script.dataset.offline);
    worker.postMessage({ keep: keep });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showSavedBanner);
  else showSavedBanner();

  if (!("serviceWorker" in navigator) || root.hasAttribute("data-offline-saved")) return;
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.kept) root.setAttribute("data-offline-kept", "");
  });
  // After the page has loaded: installing the worker never competes with the page itself.
  function register() {
    navigator.serviceWorker
      .register(script.dataset.sw, { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        if (registration.active) keepThisPage(registration.active);
      })
      .catch(function () {
        // No worker (private mode, an old browser): the site works as before, online.
      });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
