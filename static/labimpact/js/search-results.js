/* Desk search results: land on them, and load the map only when the reader asks for it.
 *
 * The form's action ends in #results, so the browser already scrolls to the results after a
 * search; this moves the keyboard and screen-reader focus there too. The map lives in a
 * closed <details> below the list: Leaflet (about 150 KB) and its stylesheet are fetched the
 * first time it opens, then desk-map.js draws the markers. Without JavaScript the list is
 * complete and the <details> stays closed.
 */
(function () {
  "use strict";
  function land() {
    var heading = document.getElementById("results-title");
    if (heading) {
      // Scrolled here rather than left to the anchor: stylesheets and fonts arriving after
      // the browser's jump would otherwise push the results down again.
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }
  }
  if (window.location.hash === "#results") {
    if (document.readyState === "complete") {
      land();
    } else {
      window.addEventListener("load", land);
    }
  }

  var details = document.querySelector("details.map-on-demand");
  if (!details) {
    return;
  }
  var loaded = false;

  function script(src, onload) {
    var tag = document.createElement("script");
    tag.src = src;
    tag.onload = onload;
    document.head.appendChild(tag);
  }

  details.addEventListener("toggle", function () {
    if (!details.open || loaded) {
      return;
    }
    loaded = true;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = details.dataset.leafletCss;
    document.head.appendChild(css);
    script(details.dataset.leafletJs, function () {
      script(details.dataset.mapJs);
    });
  });
})();
