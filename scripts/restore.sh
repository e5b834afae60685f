#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and the configured object
# store (same variables as the app: DATABASE_URL, S3_* or DATA_DIR). Refuses a database that
# already holds the schema, so a typo cannot overwrite production.
# Usage: scripts/restore.sh BACKUP_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:?usage: scripts/restore.sh BACKUP_DIR}"
src="$(cd "$src" && pwd)"
: "${DATABASE_URL:?DATABASE_URL must point at an empty database}"
tsx="$root/node_modules/.bin/tsx"
[ -x "$tsx" ] || tsx="tsx"

(cd "$src" && sha256sum --check --quiet SHA256SUMS)

tables="$(psql "$DATABASE_URL" -XAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "✖ the target database is not empty ($tables tables in public): restore into a new database" >&2
  exit 1
fi

echo "▸ database ← $src/database.dump"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" "$src/database.dump"

echo "▸ objects ← $src/objects.tar.gz"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
tar -xzf "$src/objects.tar.gz" -C "$staging"
(cd "$root/packages/services" && "$tsx" src/maintenance/cli/objects-mirror.ts upload "$staging/objects")
echo "✔ restore complete"
