"""What the deployment artefacts promise each other, which no schema checks.

Run by scripts/check-deploy.sh with the tools venv's Python (PyYAML). `docker compose config`
cannot run here (no compose plugin, no daemon), so the compose file is read as YAML and held to
the Dockerfile it builds from; the Kubernetes manifests, already valid against the schemas, are
held to the relay's own numbers.
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def dockerfile_stages(path):
    return set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", path.read_text(), re.M | re.I))


def relay_drain_secs():
    """The relay's drain after SIGTERM, from its source (relay/src/lib.rs)."""
    found = re.search(r"DRAIN_TIMEOUT: Duration = Duration::from_secs\((\d+)\)",
                      (ROOT / "relay/src/lib.rs").read_text())
    check(found, "relay/src/lib.rs: DRAIN_TIMEOUT not found")
    return int(found.group(1)) if found else 0


def check_compose():
    path = DEPLOY / "compose.yaml"
    compose = yaml.safe_load(path.read_text())
    services = compose.get("services", {})
    relays = sorted(n for n, s in services.items() if s.get("build", {}).get("target") == "relay")
    check(len(relays) == 3, f"compose: 3 relay services, found {relays}")
    for name, service in services.items():
        build = service.get("build")
        if not build:
            continue
        context = (path.parent / build["context"]).resolve()
        dockerfile = context / build["dockerfile"]
        check(dockerfile.is_file(), f"compose: {name} builds from missing {dockerfile}")
        if dockerfile.is_file():
            check(build["target"] in dockerfile_stages(dockerfile),
                  f"compose: {name} builds target {build['target']}, not a stage of {dockerfile}")
    proxy = services.get("proxy", {})
    upstreams = proxy.get("environment", {}).get("SOCKLAB_UPSTREAMS", "").split()
    listen = re.search(r"SOCKLAB_LISTEN=\S+:(\d+)", (DEPLOY / "Dockerfile").read_text())
    port = listen.group(1) if listen else "?"
    check(sorted(upstreams) == [f"{r}:{port}" for r in relays],
          f"compose: proxy's SOCKLAB_UPSTREAMS {upstreams} must name each relay at :{port}")
    for relay in relays:
        check(port in [str(p) for p in services[relay].get("expose", [])],
              f"compose: {relay} must expose {port}")
        grace = services[relay].get("stop_grace_period", "10s")
        check(int(grace.rstrip("s")) > relay_drain_secs(),
              f"compose: {relay}'s stop_grace_period {grace} must exceed the relay's drain")


def check_k8s():
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    missing = [k for k in ["Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"] if k not in docs]
    check(not missing, f"k8s: no {missing}")
    if missing:
        return
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    relay = pod["containers"][0]
    env = {e["name"]: e.get("value", "") for e in relay.get("env", [])}
    allowed = {h for h in env.get("SOCKLAB_ALLOW_HOST", "").split(",") if h}
    for probe in ["readinessProbe", "livenessProbe"]:
        get = relay.get(probe, {}).get("httpGet", {})
        check(get.get("path") == "/healthz", f"k8s: {probe} on /healthz")
        # With names given, the relay answers only those and loopback's (docs/RELAY.md).
        host = {h["name"].lower(): h["value"] for h in get.get("httpHeaders", [])}.get("host")
        check(not allowed or host in allowed | {"localhost", "127.0.0.1"},
              f"k8s: {probe} must send a Host the relay answers to (localhost or SOCKLAB_ALLOW_HOST)")
    ingress_hosts = {rule["host"] for rule in docs["Ingress"]["spec"]["rules"]}
    check(not allowed or ingress_hosts <= allowed,
          f"k8s: SOCKLAB_ALLOW_HOST {sorted(allowed)} must name the Ingress's hosts {sorted(ingress_hosts)}")
    pre_stop = relay.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    pre_stop_secs = int(pre_stop[1]) if pre_stop[:1] == ["sleep"] else 0
    check(pod["terminationGracePeriodSeconds"] > pre_stop_secs + relay_drain_secs(),
          f"k8s: terminationGracePeriodSeconds must exceed preStop ({pre_stop_secs} s) + drain")
    check("requests" in relay.get("resources", {}), "k8s: resource requests")
    labels = docs["Deployment"]["spec"]["template"]["metadata"]["labels"]
    selector = docs["Service"]["spec"]["selector"]
    check(all(labels.get(k) == v for k, v in selector.items()), "k8s: the Service selects the pods")
    port_names = {p["name"] for p in relay["ports"]}
    check(docs["Service"]["spec"]["ports"][0]["targetPort"] in port_names, "k8s: Service targets a named pod port")
    backend = docs["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    check(backend["name"] == docs["Service"]["metadata"]["name"], "k8s: the Ingress routes to the Service")
    annotations = docs["Ingress"]["metadata"].get("annotations", {})
    for timeout in ["proxy-read-timeout", "proxy-send-timeout"]:
        value = int(annotations.get(f"nginx.ingress.kubernetes.io/{timeout}", "60"))
        check(value > 300, f"k8s: Ingress {timeout} {value} s must outlast the relay's 300 s idle limit")
    target = docs["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    check((target["kind"], target["name"]) == ("Deployment", docs["Deployment"]["metadata"]["name"]),
          "k8s: the HPA scales the Deployment")


def check_pins():
    """The image builds with the tools a developer's machine has."""
    bootstrap = (ROOT / "scripts/bootstrap.sh").read_text()
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for name in ["WASM_BINDGEN_VERSION", "TRUNK_VERSION"]:
        want = re.search(rf"^{name}=(\S+)", bootstrap, re.M)
        got = re.search(rf"^ARG {name}=(\S+)", dockerfile, re.M)
        check(want and got and want.group(1) == got.group(1),
              f"Dockerfile {name} {got and got.group(1)} != bootstrap's {want and want.group(1)}")


check_compose()
check_k8s()
check_pins()
for failure in failures:
    print(f"check-deploy: {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
