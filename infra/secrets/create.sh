#!/bin/sh
# Creates the compose secrets once, with random values; existing files are kept.
# The directory stays private to you (0700); the files are world-readable inside it because
# the containers read them as their own users (tastemaker uid 185, postgres, qdrant).
set -eu
cd "$(dirname "$0")"
chmod 700 .
umask 022
new() { [ -s "$1" ] || { printf '%s' "$2" > "$1"; echo "created infra/secrets/$1"; }; }
new postgres_password "$(openssl rand -hex 24)"
new qdrant_api_key "$(openssl rand -hex 32)"
# the shape `keys generate` makes: tm_live_ and 256 random bits, URL-safe Base64 without padding
new operator_key "tm_live_$(openssl rand -base64 32 | tr "+/" "-_" | tr -d "=\n")"
