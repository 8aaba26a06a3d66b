// joinedup: the little JavaScript the pages need. Every page works without it except the
// network and the map; nothing here is inline, so the Content-Security-Policy can forbid that.
"use strict";

function addRows() {
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-add-row");
      var box = document.getElementById(kind + "-rows");
      var i = box.querySelectorAll("fieldset").length;
      fetch("/concerns/rows/" + kind + "?i=" + i)
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          box.insertAdjacentHTML("beforeend", html);
          var first = box.lastElementChild.querySelector("input, select");
          if (first) { first.focus(); }
        });
    });
  });
}

// Leaflet sets a string tooltip as HTML: names come from reports, so they go in as text
function plain(text) {
  var span = document.createElement("span");
  span.textContent = text;
  return span;
}

var COLOURS = {
  child: "#b3541e", person_of_concern: "#1f4e79", person: "#6b6b6b",
  place: "#2e7d32", vehicle: "#7b1fa2", phone: "#00838f"
};

function network() {
  var el = document.getElementById("network");
  if (!el || typeof cytoscape === "undefined") { return; }
  // the page carries its network (it also lists it); the API is asked only when it does not
  var inline = document.getElementById("network-data");
  var loaded = inline ? Promise.resolve(JSON.parse(inline.textContent))
    : fetch(el.getAttribute("data-src")).then(function (r) { return r.json(); });
  loaded.then(function (g) {
    var cy = cytoscape({
      container: el,
      elements: g.nodes.concat(g.edges),
      style: [
        { selector: "node", style: {
            "background-color": function (n) { return COLOURS[n.data("kind")] || "#555"; },
            "label": "data(label)", "font-size": 11, "color": "#111",
            "text-valign": "bottom", "text-margin-y": 4, "width": 18, "height": 18 } },
        { selector: "node[kind = 'place']", style: { "shape": "round-rectangle" } },
        { selector: "node[kind = 'vehicle']", style: { "shape": "diamond" } },
        { selector: "node[kind = 'phone']", style: { "shape": "triangle" } },
        { selector: "node[?centre]", style: { "width": 30, "height": 30, "border-width": 3,
            "border-color": "#000", "font-weight": "bold" } },
        { selector: "edge", style: { "width": function (e) { return Math.min(1 + e.data("reports"), 6); },
            "line-color": "#9aa5b1", "curve-style": "haystack" } },
        { selector: "edge:selected, edge.hover", style: { "line-color": "#1f4e79",
            "label": function (e) { return e.data("types").join(", "); }, "font-size": 9,
            "text-rotation": "autorotate", "text-background-color": "#fff",
            "text-background-opacity": 1 } }
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 400000,
                idealEdgeLength: 90, nodeOverlap: 20, padding: 20 }
    });
    cy.on("mouseover", "edge", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });
    cy.on("tap", "node", function (evt) {
      var href = evt.target.data("href");
      if (href && !evt.target.data("centre")) { window.location.href = href; }
    });
    el.setAttribute("data-nodes", String(cy.nodes().length));
    el.setAttribute("data-edges", String(cy.edges().length));
    window.joinedupNetwork = cy;
  });
}

// the bundled outline map (Natural Earth countries and their areas): no online tiles
function basemap() {
  return Promise.all([
    fetch("/static/basemap/countries.geojson").then(function (r) { return r.json(); }),
    fetch("/static/basemap/areas.geojson").then(function (r) { return r.json(); })
  ]);
}

function outlines(el, got) {
  var m = L.map(el, { zoomSnap: 0.5, attributionControl: true });
  m.attributionControl.setPrefix("Leaflet");
  L.geoJSON(got[0], {
    style: { color: "#8a8f98", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
    attribution: "Outlines: Natural Earth (public domain)"
  }).addTo(m);
  L.geoJSON(got[1], {
    style: { color: "#9aa0a8", weight: 1, dashArray: "3 3", fill: true, fillOpacity: 0 },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(plain(f.properties.name), { sticky: true, className: "area-name" });
    }
  }).addTo(m);
  return m;
}

function map() {
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  Promise.all([
    fetch(el.getAttribute("data-src")).then(function (r) { return r.json(); }),
    basemap()
  ]).then(function (got) {
    var data = got[0];
    var m = outlines(el, got[1]);
    var markers = data.places.map(function (p) {
      var mk = L.circleMarker([p.lat, p.lon], { radius: 8, color: "#1b5e20", weight: 2,
        fillColor: "#2e7d32", fillOpacity: 0.85 });
      var a = document.createElement("a");
      a.href = p.href; a.textContent = p.label;
      mk.bindPopup(a);
      mk.bindTooltip(plain(p.label), { permanent: true, direction: "right", offset: [8, 0] });
      return { place: p, marker: mk };
    });
    var dates = Array.from(new Set(data.places.flatMap(function (p) { return p.dates; }))).sort();
    var slider = document.getElementById("map-date");
    var out = document.getElementById("map-date-out");
    function show(upTo) {
      var shown = 0;
      markers.forEach(function (x) {
        var on = x.place.dates.length && x.place.dates[0] <= upTo;
        if (on) { x.marker.addTo(m); shown += 1; } else { x.marker.remove(); }
      });
      el.setAttribute("data-markers", String(shown));
      if (out) { out.textContent = upTo || "—"; }
    }
    if (markers.length) {
      m.fitBounds(L.latLngBounds(markers.map(function (x) { return x.marker.getLatLng(); })).pad(0.4),
                  { maxZoom: 11 });
    } else {
      m.setView([54.0, -2.5], 5.5);
    }
    if (slider) {
      slider.max = String(Math.max(0, dates.length - 1));
      slider.value = slider.max;
      slider.disabled = dates.length < 2;
      slider.setAttribute("aria-valuetext", dates[dates.length - 1] || "");
      slider.addEventListener("input", function () {
        var d = dates[Number(slider.value)];
        slider.setAttribute("aria-valuetext", d || "");
        show(d);
      });
    }
    show(dates[dates.length - 1] || "");
    window.joinedupMap = m;
  });
}

var CERTAINTY = { rumour: "#9aa0a8", possible: "#f0b429", probable: "#d9822b",
                  confirmed: "#a4161a" };

// the incident list's map: its points are in the list (so a filter redraws them)
function incidentMap() {
  var el = document.getElementById("incident-map");
  if (!el || typeof L === "undefined") { return; }
  basemap().then(function (got) {
    var m = outlines(el, got);
    var layer = L.layerGroup().addTo(m);
    function draw() {
      var block = document.getElementById("incident-points");
      var points = block ? JSON.parse(block.textContent) : [];
      layer.clearLayers();
      var marks = points.map(function (p) {
        var mk = L.circleMarker([p.lat, p.lon], { radius: p.count > 1 ? 10 : 8,
          color: "#16181d", weight: 1.5, fillColor: CERTAINTY[p.certainty] || "#555",
          fillOpacity: 0.9 });
        var box = document.createElement("div");
        (p.items || []).forEach(function (item, i) {
          if (i) { box.appendChild(document.createElement("br")); }
          var a = document.createElement("a");
          a.href = "/incidents/" + encodeURIComponent(item.id).replace(/%2F/g, "/");
          a.textContent = item.label;
          box.appendChild(a);
          box.appendChild(document.createTextNode(
            " (" + (item.date_start || "date unknown") + "; certainty " + item.certainty +
            ", attribution " + item.attribution + ")"));
        });
        if (p.count > (p.items || []).length) {
          box.appendChild(document.createElement("br"));
          box.appendChild(document.createTextNode(
            "and " + (p.count - p.items.length) + " more here: narrow the list by date or target"));
        }
        mk.bindPopup(box);
        mk.bindTooltip(plain(p.place + ": " + p.count + (p.count > 1 ? " incidents" : " incident") +
                             " (most certain: " + p.certainty + ")"));
        return mk.addTo(layer);
      });
      if (marks.length) {
        m.fitBounds(L.latLngBounds(marks.map(function (x) { return x.getLatLng(); })).pad(0.3),
                    { maxZoom: 12 });
      } else {
        m.setView([35.2, 38.5], 6.5);
      }
      el.setAttribute("data-markers", String(marks.length));
    }
    draw();
    document.body.addEventListener("htmx:afterSettle", function (evt) {
      if (evt.target && evt.target.id === "incident-results") { draw(); }
    });
    window.joinedupIncidentMap = m;
  });
}

document.addEventListener("DOMContentLoaded", function () {
  addRows();
  network();
  map();
  incidentMap();
});
