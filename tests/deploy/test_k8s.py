"""The Kubernetes manifests: valid against the Kubernetes schemas (kubernetes-validate ships
them, no cluster or network needed), and in step with the Procfile, which is what runs
locally: every process has a Deployment with the same command, and probes on its port."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.e2e.system import REPO, read_procfile

K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"

# Procfile processes that only run on a developer's machine (a local mail catcher, say)
# and so have no Deployment: name them here.
LOCAL_ONLY: frozenset[str] = frozenset({"mailcatcher"})

# What ${NAME:-default} in a Procfile command becomes in a pod: web processes bind all
# interfaces on port 8000 (the Service's targetPort).
POD_ENVIRONMENT = {"BIND_HOST": "0.0.0.0"}
POD_PORT = "8000"


def manifests() -> list[tuple[Path, dict]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found.append((path, document))
    return found


def deployments() -> dict[str, dict]:
    return {
        document["metadata"]["name"]: document
        for _path, document in manifests()
        if document["kind"] == "Deployment"
    }


def in_a_pod(command: str) -> list[str]:
    """A Procfile command as a pod runs it: its ${NAME:-default}s resolved."""

    def resolve(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in POD_ENVIRONMENT:
            return POD_ENVIRONMENT[name]
        return POD_PORT if name.endswith("_PORT") else default

    return shlex.split(re.sub(r"\$\{(\w+):-([^}]*)\}", resolve, command))


@pytest.mark.parametrize(
    "path, document",
    [pytest.param(path, doc, id=f"{path.name}:{doc['kind']}/{doc['metadata']['name']}")
     for path, doc in manifests() if doc["kind"] != "Kustomization"],
)  # fmt: skip
def test_every_manifest_is_valid_against_the_kubernetes_schema(path, document):
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    on_disk = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk


@pytest.mark.parametrize("process", sorted(set(read_procfile()) - LOCAL_ONLY))
def test_every_procfile_process_has_a_deployment_with_its_command_and_probes(process):
    found = deployments()
    assert process in found, (
        f"Procfile process {process!r} has no Deployment in deploy/k8s: add one, or, if it "
        f"only runs on a developer's machine, add it to LOCAL_ONLY in {Path(__file__).name}"
    )
    [container] = found[process]["spec"]["template"]["spec"]["containers"]
    assert container["command"] == in_a_pod(read_procfile()[process])

    ports = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
    environment = {item["name"]: item.get("value") for item in container.get("env", [])}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        assert container[probe]["httpGet"]["path"] == path
        port = ports[container[probe]["httpGet"]["port"]]
        # The process listens there: the port is in its command (web) or in its own
        # <PROCESS>_PORT variable (a worker's SHOPS_WORKER_PORT).
        own_port = process.upper().replace("-", "_") + "_PORT"
        assert f":{port}" in " ".join(container["command"]) or environment.get(own_port) == str(
            port
        ), f"{process}: nothing says it listens on {port}"


def test_every_web_deployment_has_a_disruption_budget_and_an_autoscaler():
    webs = {
        name
        for name, document in deployments().items()
        if "gunicorn" in document["spec"]["template"]["spec"]["containers"][0]["command"]
    }
    assert {"gateway", "shops", "catalog", "orders"} <= webs
    budgets = {d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
               for _, d in manifests() if d["kind"] == "PodDisruptionBudget"}  # fmt: skip
    scaled = {d["spec"]["scaleTargetRef"]["name"]
              for _, d in manifests() if d["kind"] == "HorizontalPodAutoscaler"}  # fmt: skip
    assert webs <= budgets
    assert webs <= scaled


def test_the_gateway_is_reachable_through_an_ingress():
    ingresses = [d for _, d in manifests() if d["kind"] == "Ingress"]
    backends = {
        path["path"]: path["backend"]["service"]["name"]
        for ingress in ingresses
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    # Everything goes to the gateway but the public seller API, which shops serves itself.
    assert backends == {"/": "gateway", "/api/v1/": "shops"}
