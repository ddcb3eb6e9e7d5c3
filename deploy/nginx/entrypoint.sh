#!/bin/sh
# The proxy container's entrypoint: render socklab.conf from its template and run nginx in the
# foreground. Extra arguments go to nginx (`-t` checks the configuration and exits).
#
#   SOCKLAB_UPSTREAMS      the relays, space-separated host:port   (required)
#   SOCKLAB_HTTPS_LISTEN   default 443
#   SOCKLAB_HTTP_LISTEN    default 80 (redirects to https)
#   SOCKLAB_TLS_CERT/KEY   default /etc/socklab/tls/{cert,key}.pem; if absent, a self-signed
#                          certificate for localhost is made (for trying it out only)
#   SOCKLAB_SITE           the built site (the image has it at /srv/socklab)
#   SOCKLAB_NGINX_PREFIX   nginx's working directory (pid, temporary files, rendered config)
set -eu

prefix=${SOCKLAB_NGINX_PREFIX:-/var/lib/socklab-nginx}
here=$(dirname "$0")
: "${SOCKLAB_UPSTREAMS:?name the relays, e.g. SOCKLAB_UPSTREAMS='relay-1:8080 relay-2:8080'}"
export SOCKLAB_HTTPS_LISTEN="${SOCKLAB_HTTPS_LISTEN:-443}"
export SOCKLAB_HTTP_LISTEN="${SOCKLAB_HTTP_LISTEN:-80}"
export SOCKLAB_TLS_CERT="${SOCKLAB_TLS_CERT:-/etc/socklab/tls/cert.pem}"
export SOCKLAB_TLS_KEY="${SOCKLAB_TLS_KEY:-/etc/socklab/tls/key.pem}"
export SOCKLAB_SITE="${SOCKLAB_SITE:-/srv/socklab}"

mkdir -p "$prefix"
if [ ! -r "$SOCKLAB_TLS_CERT" ] || [ ! -r "$SOCKLAB_TLS_KEY" ]; then
    echo "entrypoint: no certificate at $SOCKLAB_TLS_CERT; making a self-signed one for localhost (browsers will warn)" >&2
    SOCKLAB_TLS_CERT=$prefix/selfsigned.pem
    SOCKLAB_TLS_KEY=$prefix/selfsigned.key
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
        -keyout "$SOCKLAB_TLS_KEY" -out "$SOCKLAB_TLS_CERT" 2>/dev/null
fi

SOCKLAB_RELAYS=
for upstream in $SOCKLAB_UPSTREAMS; do
    SOCKLAB_RELAYS="${SOCKLAB_RELAYS}server $upstream; "
done
export SOCKLAB_RELAYS

# nginx reads `include socklab.conf` beside nginx.conf: render both into the prefix. Only these
# variables are substituted; nginx's own ($host, $http_upgrade, …) pass through.
cp "$here/nginx.conf" "$prefix/nginx.conf"
envsubst '${SOCKLAB_HTTPS_LISTEN} ${SOCKLAB_HTTP_LISTEN} ${SOCKLAB_TLS_CERT} ${SOCKLAB_TLS_KEY} ${SOCKLAB_SITE} ${SOCKLAB_RELAYS}' \
    < "$here/socklab.conf.template" > "$prefix/socklab.conf"
exec nginx -p "$prefix" -c "$prefix/nginx.conf" -e stderr "$@"
