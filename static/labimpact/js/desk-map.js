/* Desk map on the search page: progressive enhancement of the results list.
 *
 * The list is complete without this file. Each desk card with coordinates carries
 * data-lat/data-lon; the map shows them and links each marker to the desk page.
 * The map container is always laid out left-to-right (tiles and controls), while the
 * page around it follows the reader's direction.
 */
(function () {
  "use strict";
  var container = document.getElementById("desk-map");
  if (!container || typeof L === "undefined") {
    return;
  }
  var cards = document.querySelectorAll(".desk-card[data-lat][data-lon]");
  if (!cards.length) {
    return;
  }
  container.hidden = false;
  // Leaflet guesses its image folder from its stylesheet's URL, which the static manifest
  // hashes: without this the markers ask for /<lang>/sportelli/marker-icon.png (a 404).
  if (container.dataset.markerIcon) {
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: container.dataset.markerIcon,
      iconRetinaUrl: container.dataset.markerIcon2x,
      shadowUrl: container.dataset.markerShadow,
    });
  }
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(container.dataset.tiles, {
    maxZoom: 18,
    attribution: container.dataset.attribution,
  }).addTo(map);
  var bounds = [];
  cards.forEach(function (card) {
    var lat = parseFloat(card.dataset.lat);
    var lon = parseFloat(card.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    var link = card.querySelector("h3 a");
    var marker = L.marker([lat, lon], { title: link ? link.textContent.trim() : "" }).addTo(map);
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.textContent.trim();
      marker.bindPopup(anchor);
    }
    bounds.push([lat, lon]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 15);
  } else {
    map.fitBounds(bounds, { padding: [24, 24] });
  }
})();
