"""A real Prometheus for the live checks: data written as TSDB blocks before it starts, on a free loopback port.

The data (timestamps relative to the moment the fixture starts, one sample a minute):

- ``http_requests_total``: job="api", two series; only the code="500" one has a ``region`` label;
- ``up``: job="api", alive;
- ``queue_jobs_total``: queue="payments", from 24h ago until 16h ago, then nothing (it stopped);
- ``kube_pod_info``: two series with the same pod on different nodes (many-to-many on pod).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support import free_port

HOUR = 3600
STEP = 60
HISTORY = 26 * HOUR

SERIES = (
    ("http_requests_total", {"job": "api", "code": "200", "instance": "a"}, 0, 0),
    ("http_requests_total", {"job": "api", "code": "500", "instance": "b", "region": "eu"}, 0, 0),
    ("up", {"job": "api", "instance": "a"}, 0, 0),
    ("queue_jobs_total", {"queue": "payments"}, 24 * HOUR, 16 * HOUR),  # (starts, ends) ago
    ("kube_pod_info", {"pod": "p1", "node": "n1"}, 0, 0),
    ("kube_pod_info", {"pod": "p1", "node": "n2"}, 0, 0),
)


def tools_missing() -> str:
    missing = [t for t in ("prometheus", "promtool") if shutil.which(t) is None]
    return f"{' and '.join(missing)} not installed (scripts/test.sh installs Debian's prometheus)" if missing else ""


def openmetrics(now: int) -> str:
    lines = []
    for family in dict.fromkeys(name for name, *_ in SERIES):
        lines.append(f"# TYPE {family} gauge")
        for name, labels, starts, ends in SERIES:
            if name != family:
                continue
            shown = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
            first = now - (starts or HISTORY)
            last = now - ends - 30
            value = 0
            for at in range(first - first % STEP, last, STEP):
                value += 1
                lines.append(f"{name}{{{shown}}} {value} {at}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    started: float


def start(root: Path, timeout: float = 60) -> Server:
    now = int(time.time())
    data = root / "data"
    data.mkdir()
    source = root / "metrics.om"
    source.write_text(openmetrics(now), encoding="utf-8")
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "--quiet", str(source), str(data)],
                   check=True, capture_output=True, timeout=120)
    config = root / "prometheus.yml"
    config.write_text("global:\n  evaluation_interval: 1h\n", encoding="utf-8")
    port = free_port()
    log = open(root / "prometheus.log", "wb")
    process = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={data}",
                                f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=30d",
                                "--query.timeout=20s"], stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {process.returncode}: "
                               f"{(root / 'prometheus.log').read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/-/ready", timeout=2) as answer:
                if answer.status == 200:
                    return Server(url, process, now)
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"prometheus was not ready within {timeout}s")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
