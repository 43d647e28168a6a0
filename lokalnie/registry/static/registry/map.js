// The registry map: Leaflet with one marker per voivodeship capital showing how many
// certificates are valid there. An enhancement only: the page shows the same numbers in
// a table, and works without this file (or when tiles cannot load).
(function () {
  "use strict";
  var container = document.getElementById("registry-map");
  var data = document.getElementById("map-data");
  if (!container || !data || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(data.textContent);
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false }).setView([52.0, 19.4], 6);
  // Tile servers (OpenStreetMap) ask for a Referer; the site itself sends none cross-origin.
  L.tileLayer(config.tiles, {
    maxZoom: 18,
    attribution: config.attribution,
    referrerPolicy: "strict-origin-when-cross-origin"
  }).addTo(map);
  config.points.forEach(function (point) {
    if (!point.count) {
      return;
    }
    var icon = L.divIcon({
      className: "map-count",
      html: String(point.count),
      iconSize: [34, 24],
      iconAnchor: [17, 12],
    });
    var marker = L.marker([point.lat, point.lon], {
      icon: icon,
      title: point.name + ": " + point.count,
      alt: point.name + ": " + point.count,
      keyboard: true,
    }).addTo(map);
    var link = document.createElement("a");
    link.href = config.registry_url + "?wojewodztwo=" + encodeURIComponent(point.code) + "&status=valid";
    link.textContent = point.name + ": " + point.count;
    marker.bindPopup(link);
  });
})();
