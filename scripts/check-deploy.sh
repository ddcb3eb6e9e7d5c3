#!/usr/bin/env bash
# Check the deployment artefacts in deploy/ with real tools, offline (scripts/bootstrap.sh
# installs them into .venv): the Kubernetes manifests against the Kubernetes schemas
# (kubernetes-validate bundles them), the Dockerfile with hadolint, the nginx entrypoint by
# rendering its template and letting nginx check the result, and what the files promise each
# other (scripts/check_deploy.py). Docker itself cannot run here; e2e/proxy.test.js runs the
# same nginx configuration for real.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools=.venv/bin
[ -x "$tools/kubernetes-validate" ] || { echo "check-deploy: run scripts/bootstrap.sh first" >&2; exit 1; }

# The oldest Kubernetes still maintained and the newest the validator knows.
for version in 1.32.0 1.37.0; do
    "$tools/kubernetes-validate" --strict --quiet -k "$version" deploy/k8s/*.yaml
done
"$tools/hadolint" deploy/Dockerfile
"$tools/python" scripts/check_deploy.py

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/site"
SOCKLAB_NGINX_PREFIX=$scratch SOCKLAB_SITE=$scratch/site SOCKLAB_TLS_CERT=$scratch/absent.pem \
    SOCKLAB_UPSTREAMS='127.0.0.1:8081 127.0.0.1:8082 127.0.0.1:8083' \
    deploy/nginx/entrypoint.sh -t -q 2>"$scratch/err" || { cat "$scratch/err" >&2; exit 1; }
echo "check-deploy: k8s manifests, Dockerfile, compose file and nginx entrypoint OK" >&2
