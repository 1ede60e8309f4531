"""The deploy manifests, checked offline: every Kubernetes object against the API's
schema (kubernetes-validate, strict: no unknown fields), every service complete, and
the compose file running the same processes."""
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from devstack.stack import ROOT, SERVICES

K8S = ROOT / "deploy" / "k8s"
VERSION = "1.33.0"     # the oldest Kubernetes release the manifests promise to work on


def objects() -> list[tuple[Path, dict]]:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    return [(K8S / name, doc) for name in listed for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def test_every_manifest_file_is_in_the_kustomization():
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize("path,obj", objects(), ids=lambda v: v.name if isinstance(v, Path) else v["kind"])
def test_each_kubernetes_object_is_valid_against_the_api_schema(path, obj):
    kubernetes_validate.validate(obj, VERSION, strict=True)


def test_every_service_has_an_http_side_with_probes_and_a_worker_with_a_liveness_check():
    by_name = {(o["kind"], o["metadata"]["name"]): o for _, o in objects()}
    for service in SERVICES:
        http = by_name[("Deployment", f"{service}-http")]["spec"]["template"]["spec"]["containers"][0]
        assert http["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert http["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert f"services.{service}.app:create_app()" in http["command"]
        assert ("Service", service) in by_name
        worker = by_name[("Deployment", f"{service}-worker")]["spec"]["template"]["spec"]
        assert worker["containers"][0]["command"] == ["python", "-m", f"services.{service}.worker"]
        probe = worker["containers"][0]["livenessProbe"]["exec"]["command"]
        assert probe[:4] == ["python", "-m", "shared.liveness", service]
        for side in ("http", "worker"):
            assert ("PodDisruptionBudget", f"{service}-{side}") in by_name
            container = by_name[("Deployment", f"{service}-{side}")]["spec"]["template"]["spec"]["containers"][0]
            assert {"configMapRef": {"name": "twoshot-config"}} in container["envFrom"]
            assert {"secretRef": {"name": "twoshot-secrets"}} in container["envFrom"]
            # The SMTP login reaches only the service that reads it (shared.config.NotificationsSettings).
            assert ({"secretRef": {"name": "twoshot-smtp"}} in container["envFrom"]) == (service == "notifications")
            assert container["resources"]["limits"]["memory"]
    job = by_name[("Job", "twoshot-topics")]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["python", "-m", "shared.kafka"]


def test_compose_runs_the_same_processes_as_kubernetes():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    for service in SERVICES:
        assert compose[f"{service}-worker"]["command"] == ["python", "-m", f"services.{service}.worker"]
        assert compose[f"{service}-worker"]["healthcheck"]["test"][1:4] == ["python", "-m", "shared.liveness"]
        assert f"services.{service}.app:create_app()" in compose[f"{service}-http"]["command"]
    assert compose["kafka-init"]["command"] == ["python", "-m", "shared.kafka"]


def test_workers_scale_out_no_further_than_the_partitions_they_share():
    """More than one consumer per group (claims keep them correct, docs/decisions/0009),
    and never more than the topics' partitions: a consumer past that count holds none."""
    config = next(o for _, o in objects() if o["kind"] == "ConfigMap")["data"]
    partitions = int(config["KAFKA_TOPIC_PARTITIONS"])
    by_name = {(o["kind"], o["metadata"]["name"]): o for _, o in objects()}
    for service in SERVICES:
        replicas = by_name[("Deployment", f"{service}-worker")]["spec"]["replicas"]
        assert 2 <= replicas <= partitions, (service, replicas, partitions)
