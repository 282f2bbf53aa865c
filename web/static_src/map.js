// Maps (Leaflet, loaded as window.L by the page): one place's point and boundary, the register's places each
// linking to its entry, or the nomination's map where a group places the point and draws the boundary.
// The tiles come from the deployment's MAP_TILE_URL; with none, or when they cannot be fetched, the geometry is
// drawn on a plain background with a scale bar, so a map always shows. Every page also says the location in words.
const L = window.L
const CLOSE_ZOOM = 17 // about a street: a single place is shown at this zoom
const BRITAIN = [[49.8, -8.7], [60.9, 1.8]] // what an empty map shows

// Each map by its element's id, for whoever needs Leaflet's own API on it (the browser tests read the drawn layers).
window.caseworkMaps = window.caseworkMaps || {}

function say (box, words) {
  const status = box.querySelector('.casework-map__status')
  status.hidden = false
  status.textContent = words
}

function baseMap (box) {
  const canvas = box.querySelector('.casework-map__canvas')
  const maxZoom = Number(box.dataset.tileMaxZoom) || 19
  // No fading: a popup is readable the moment it opens (and for people who ask for less motion).
  const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false, maxZoom, fadeAnimation: false })
  map.attributionControl.setPrefix('Leaflet')
  L.control.scale().addTo(map)
  if (box.dataset.tileUrl) {
    const tiles = L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom })
    tiles.once('tileerror', () => say(box, 'The map background could not be loaded, so the map shows the place on a plain background.'))
    tiles.addTo(map)
  } else {
    canvas.classList.add('casework-map__canvas--plain')
  }
  window.caseworkMaps[canvas.id] = map
  return map
}

// Nothing drawn yet: the street around `centre` ([latitude, longitude], say the postcode's centroid) if the page
// gave one, else all of Britain.
function fit (map, layer, centre = null) {
  const bounds = layer.getBounds()
  if (!bounds.isValid()) {
    if (centre) map.setView(centre, CLOSE_ZOOM)
    else map.fitBounds(BRITAIN)
  } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(bounds.getCenter(), CLOSE_ZOOM)
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: CLOSE_ZOOM })
  }
}

const AREA_STYLE = { color: '#1d70b8', weight: 3, fillOpacity: 0.15 }

// One place: the boundary as an area and the point as a marker named for the place.
function showPlace (box, features) {
  const map = baseMap(box)
  const layer = L.geoJSON(features, {
    pmIgnore: true,
    style: AREA_STYLE,
    pointToLayer: (feature, latlng) => L.marker(latlng, { alt: feature.properties.name, title: feature.properties.name, pmIgnore: true })
  }).addTo(map)
  fit(map, layer)
}

// The register: a marker per place, whose popup links to the entry (a focused marker opens it with Enter).
function showRegister (box, features) {
  const map = baseMap(box)
  const layer = L.geoJSON(features, {
    pointToLayer: (feature, latlng) => {
      const marker = L.marker(latlng, { alt: feature.properties.name, title: feature.properties.name })
      const content = document.createElement('div')
      const link = document.createElement('a')
      link.className = 'govuk-link'
      link.href = feature.properties.url
      link.textContent = feature.properties.name
      const address = document.createElement('p')
      address.className = 'govuk-body-s govuk-!-margin-bottom-0'
      address.textContent = feature.properties.address
      content.append(link, address)
      marker.bindPopup(content)
      marker.on('popupopen', () => { if (document.activeElement === marker.getElement()) link.focus() })
      return marker
    }
  }).addTo(map)
  fit(map, layer)
}

// WKT as casework/geometry.py reads it: longitude before latitude, six decimal places (about 0.1 m).
function wktRing (ring) {
  return '(' + ring.map(([lng, lat]) => `${lng.toFixed(6)} ${lat.toFixed(6)}`).join(', ') + ')'
}

function toWkt (geometry) {
  if (geometry.type === 'Polygon') return `POLYGON (${geometry.coordinates.map(wktRing).join(', ')})`
  const polygons = geometry.coordinates.map(polygon => `(${polygon.map(wktRing).join(', ')})`)
  return `MULTIPOLYGON (${polygons.join(', ')})`
}

// "52.195100, -2.095000" from the latitude and longitude field, or null when it does not say a place.
function readPoint (text) {
  const parts = text.split(',').map(part => Number.parseFloat(part.trim()))
  if (parts.length !== 2 || parts.some(Number.isNaN)) return null
  return L.latLng(parts[0], parts[1])
}

// The nomination's map: a click (or the button, after moving the map with the arrow keys) places the point, which
// can be dragged; "Draw the boundary" draws it corner by corner. Both fill the text fields, which stay the way to
// give either without the map, and typing a latitude and longitude moves the marker.
function editPlace (box, features) {
  const map = baseMap(box)
  const pointField = box.dataset.pointField && document.getElementsByName(box.dataset.pointField)[0]
  const boundaryField = box.dataset.boundaryField && document.getElementsByName(box.dataset.boundaryField)[0]
  const controls = box.querySelector('.casework-map__controls')
  controls.hidden = false
  let marker = null
  let boundary = null

  const writePoint = (latlng) => {
    pointField.value = `${latlng.lat.toFixed(6)}, ${latlng.lng.toFixed(6)}`
    say(box, `The point is at latitude ${latlng.lat.toFixed(6)}, longitude ${latlng.lng.toFixed(6)}.`)
  }
  const placePoint = (latlng, write = true) => {
    if (marker) {
      marker.setLatLng(latlng)
    } else {
      marker = L.marker(latlng, { alt: 'The point you placed', title: 'The point you placed', draggable: true, pmIgnore: true }).addTo(map)
      marker.on('dragend', () => writePoint(marker.getLatLng()))
    }
    if (write) writePoint(latlng)
  }
  const writeBoundary = () => {
    boundaryField.value = boundary ? toWkt(boundary.toGeoJSON().geometry) : ''
    say(box, boundary ? 'The boundary is drawn, and written in the boundary box below the map.' : 'The boundary has been removed.')
  }
  const keepBoundary = (layer) => {
    if (boundary && boundary !== layer) map.removeLayer(boundary)
    boundary = layer
    boundary.setStyle(AREA_STYLE)
    boundary.on('pm:edit', writeBoundary)
    writeBoundary()
  }

  const existing = L.geoJSON(features, { style: AREA_STYLE, pointToLayer: (feature, latlng) => L.circleMarker(latlng) })
  existing.eachLayer(layer => {
    if (layer instanceof L.Polygon) {
      boundary = layer.addTo(map)
      boundary.on('pm:edit', writeBoundary)
    } else {
      placePoint(layer.getLatLng(), false)
    }
  })
  fit(map, existing, box.dataset.centre ? JSON.parse(box.dataset.centre) : null)

  if (pointField) {
    map.on('click', event => { if (!map.pm || !map.pm.globalDrawModeEnabled()) placePoint(event.latlng) })
    pointField.addEventListener('change', () => {
      const typed = readPoint(pointField.value)
      if (typed) { placePoint(typed, false); map.setView(typed, Math.max(map.getZoom(), CLOSE_ZOOM)) }
    })
  }
  if (boundaryField && map.pm) {
    map.pm.setGlobalOptions({ snappable: false })
    map.on('pm:create', event => { if (event.shape === 'Polygon') keepBoundary(event.layer) })
  }
  controls.addEventListener('click', event => {
    const action = event.target.closest('[data-map-action]')?.dataset.mapAction
    if (action === 'centre') {
      placePoint(map.getCenter())
    } else if (action === 'draw') {
      map.pm.enableDraw('Polygon', { finishOn: null })
      say(box, 'Click each corner of the land on the map, then click the first corner again to finish.')
    } else if (action === 'clear' && boundary) {
      map.removeLayer(boundary)
      boundary = null
      writeBoundary()
    }
  })
}

for (const box of document.querySelectorAll('[data-module="casework-map"]')) {
  const features = JSON.parse(box.dataset.features)
  const draw = { place: showPlace, register: showRegister, edit: editPlace }[box.dataset.mode]
  draw(box, features)
}
