"""`make run` refuses ports that collide, before it starts anything, and names them."""
import socket

import pytest

from devstack.stack import DEFAULT_PORTS, Stack, free_ports

pytestmark = pytest.mark.integration


def test_a_port_given_twice_is_refused_naming_both(tmp_path):
    ports = free_ports(list(DEFAULT_PORTS))
    ports["matching"] = ports["intake_metrics"]       # the operator moved the HTTP ports onto 9101…
    with pytest.raises(RuntimeError) as refused:
        Stack(tmp_path, ports).check_ports()
    assert "intake_metrics" in str(refused.value) and "matching" in str(refused.value)


def test_a_port_another_program_holds_is_refused_metrics_ports_included(tmp_path):
    ports = free_ports(list(DEFAULT_PORTS))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", ports["sessions_metrics"]))
        holder.listen()
        with pytest.raises(RuntimeError) as refused:
            Stack(tmp_path, ports).check_ports()
    assert f"sessions_metrics ({ports['sessions_metrics']})" in str(refused.value)
    assert not (tmp_path / "pids.json").exists()      # nothing was started


def test_the_start_up_check_counts_a_service_only_when_that_service_answers(tmp_path):
    """A worker's metrics server answers 200 on any path: it must not pass for intake."""
    from prometheus_client import start_http_server

    from devstack.stack import service_ready
    port = free_ports(["x"])["x"]
    start_http_server(port, addr="127.0.0.1")
    assert not service_ready(f"http://127.0.0.1:{port}", "intake")
