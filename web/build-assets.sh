#!/bin/sh
# Build web/static from GOV.UK Frontend, Mermaid, Leaflet and Leaflet-Geoman (installed by `npm ci`) and our own
# files in web/static_src.
# Used by `make assets` and by web/Dockerfile, so the two cannot drift apart.
set -eu
cd "$(dirname "$0")/.."
rm -rf web/static
mkdir -p web/static/vendor
cp -R node_modules/govuk-frontend/dist/govuk/assets/. web/static/
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js web/static/
cp node_modules/mermaid/dist/mermaid.min.js web/static/vendor/
# Leaflet's stylesheet finds its marker images beside it (images/), so the folder is copied whole.
mkdir -p web/static/vendor/leaflet
cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
  web/static/vendor/leaflet/
cp node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js \
  node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css web/static/vendor/leaflet/
cp web/static_src/* web/static/
