#!/bin/sh
# certbot --deploy-hook: copies a freshly issued or renewed certificate to the volume the
# unprivileged nginx (uid 101) reads, since certbot's own live/ and archive/ are root-only.
# certbot sets RENEWED_LINEAGE to /etc/letsencrypt/live/<domain>.
set -eu
dest=/etc/nginx/certs
mkdir -p "$dest"
cp -L "$RENEWED_LINEAGE/fullchain.pem" "$dest/fullchain.pem.new"
cp -L "$RENEWED_LINEAGE/privkey.pem" "$dest/privkey.pem.new"
chown 101:101 "$dest/fullchain.pem.new" "$dest/privkey.pem.new"
chmod 0644 "$dest/fullchain.pem.new"
chmod 0600 "$dest/privkey.pem.new"
mv "$dest/fullchain.pem.new" "$dest/fullchain.pem"
mv "$dest/privkey.pem.new" "$dest/privkey.pem"
echo "installed certificate for $(basename "$RENEWED_LINEAGE") into $dest (nginx reloads within 6 h; restart it to use it now)"
