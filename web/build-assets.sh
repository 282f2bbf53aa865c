#!/bin/sh
# Build web/static from GOV.UK Frontend and Mermaid (installed by `npm ci`) and our own files in web/static_src.
# Used by `make assets` and by web/Dockerfile, so the two cannot drift apart.
set -eu
cd "$(dirname "$0")/.."
rm -rf web/static
mkdir -p web/static/vendor
cp -R node_modules/govuk-frontend/dist/govuk/assets/. web/static/
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js web/static/
cp node_modules/mermaid/dist/mermaid.min.js web/static/vendor/
cp web/static_src/* web/static/
