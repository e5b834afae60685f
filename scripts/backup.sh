#!/usr/bin/env bash
# Backs up Athlete Platform: the database (pg_dump custom format) and the object store (raw
# provider JSON, imports, sample archives) mirrored through the app's own object-store adapter
# and packed as a tarball. Configuration comes from the same variables as the app:
#   DATABASE_URL                       required (the managed Postgres, or the compose one)
#   S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE
#                                      the object store; unset S3_BUCKET = files under DATA_DIR/objects
# Usage: scripts/backup.sh [BACKUP_ROOT]   (default ./backups) → BACKUP_ROOT/athlete-<UTC time>/
# Needs pg_dump of the server's major version (or newer) and the repository's dependencies.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${DATABASE_URL:?DATABASE_URL must point at the database to back up}"
dest="${1:-./backups}/athlete-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
tsx="$root/node_modules/.bin/tsx"
[ -x "$tsx" ] || tsx="tsx"

echo "▸ database → $dest/database.dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"

echo "▸ objects → $dest/objects.tar.gz"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
(cd "$root/packages/services" && "$tsx" src/maintenance/cli/objects-mirror.ts download "$staging/objects")
tar -czf "$dest/objects.tar.gz" -C "$staging" objects

(cd "$dest" && sha256sum database.dump objects.tar.gz > SHA256SUMS)
echo "✔ backup complete: $dest"
