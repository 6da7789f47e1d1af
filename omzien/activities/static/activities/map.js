// SPDX-License-Identifier: EUPL-1.2
// The activities map: wijk outlines and one marker per activity found. No tile server unless configured.
(function () {
  "use strict";
  let map = null;

  function draw() {
    const element = document.getElementById("activity-map");
    const data = document.getElementById("activity-markers");
    if (!element || !data || typeof L === "undefined") { return; }
    if (map) { map.remove(); map = null; }
    const markers = JSON.parse(data.textContent);
    map = L.map(element, { scrollWheelZoom: false, attributionControl: Boolean(element.dataset.tiles) });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "" }).addTo(map);
    }
    fetch(element.dataset.districts, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (outlines) {
        L.geoJSON(outlines, {
          style: { color: "#555", weight: 1, fillOpacity: 0.04 },
          onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name); },
        }).addTo(map);
      })
      .catch(function () { /* the outlines are decoration; the list has everything */ });
    const bounds = [];
    markers.forEach(function (marker) {
      const icon = L.divIcon({
        className: "omzien-marker" + (marker.free > 0 ? " omzien-marker--free" : " omzien-marker--full"),
        html: String(marker.free), iconSize: [28, 28],
      });
      const point = L.marker([marker.lat, marker.lon], { icon: icon, title: marker.label, alt: marker.label, keyboard: true });
      const link = document.createElement("a");
      link.href = element.dataset.base + marker.id + "/";
      link.textContent = marker.title;
      point.bindPopup(link);
      point.addTo(map);
      // The marker is a keyboard stop; its visible text is only the number of free places, so it is
      // named for screen readers by the activity and its places ("Kookclub: 3 plaatsen vrij").
      const pin = point.getElement();
      if (pin) {
        pin.setAttribute("role", "button");
        pin.setAttribute("aria-label", marker.label);
      }
      bounds.push([marker.lat, marker.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
