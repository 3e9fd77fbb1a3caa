#!/usr/bin/env python3
"""Ownership, hand-over and failover of cameras between app instances, balanced or with Camel's plain policy.

    python3 scripts/bench_cluster.py [--service file|zookeeper] [--policy balanced|plain] [--cameras 12] [--keep]

Three instances of routes/target/mjpeg-rtp.jar (flags of routes/jvm.options) run the same YAML of N light cameras
(videotestsrc 160x120 at 30 fps, each to its own UDP port on 127.0.0.1, received here), started 6 s apart (each once
its CamelContext is up), on a shared directory (camel.cluster.file.*, 500 ms lock interval x 6) or on a ZooKeeper
server started from the same jar (tickTime 1000, the app's default 3 s session). --policy plain runs every route
under Camel's ClusteredRoutePolicy (mjpegrtp.cluster.balanced=false). Then: kill -9 of the instance streaming the
most cameras, its restart, SIGTERM of the one then streaming the most. Printed: cameras per instance after each step and how long it took; for every change
of sender on a port, the gap between the old sender's last packet and the new one's first (a hand-over, or a
failover measured from the kill); packets of an old sender after a new one started (two senders at once).
"""
import argparse
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_demo import ROOT  # noqa: E402

NAMES = ["first", "second", "third"]


class Receiver(threading.Thread):
    """One socket per camera; per port the senders (SSRCs) in order with first and last packet times."""

    def __init__(self, ports):
        super().__init__(daemon=True)
        self.ports = ports
        self.sockets = []
        for port in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            s.bind(("127.0.0.1", port))
            s.setblocking(False)
            self.sockets.append(s)
        self.index = {s.fileno(): i for i, s in enumerate(self.sockets)}
        self.streams = [[] for _ in ports]  # [ssrc, first, last]
        self.changes = []  # (port index, previous last, next first)
        self.overlaps = 0
        self.lock = threading.Lock()
        self.running = True

    def run(self):
        poller = select.epoll()
        for s in self.sockets:
            poller.register(s.fileno(), select.EPOLLIN)
        buf = bytearray(65536)
        while self.running:
            for fd, _ in poller.poll(0.1):
                i = self.index[fd]
                while True:
                    try:
                        n = self.sockets[i].recv_into(buf)
                    except BlockingIOError:
                        break
                    if n >= 12:
                        self.packet(i, int.from_bytes(buf[8:12], "big"), time.monotonic())
        poller.close()

    def packet(self, i, ssrc, now):
        with self.lock:
            streams = self.streams[i]
            known = [k for k, s in enumerate(streams) if s[0] == ssrc]
            if not known:
                if streams:
                    self.changes.append((i, streams[-1][2], now))
                streams.append([ssrc, now, now])
                return
            if known[-1] != len(streams) - 1:
                self.overlaps += 1
            streams[known[-1]][2] = now

    def live(self, window=0.3):
        now = time.monotonic()
        with self.lock:
            return {i: s[-1][0] for i, s in enumerate(self.streams) if s and now - s[-1][2] < window}

    def changes_since(self, t):
        with self.lock:
            return [c for c in self.changes if c[2] >= t]

    def close(self):
        self.running = False
        self.join()
        for s in self.sockets:
            s.close()


class Cluster:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="bench-cluster-")
        self.jar = os.path.join(ROOT, "routes/target/mjpeg-rtp.jar")
        with open(os.path.join(ROOT, "routes/jvm.options")) as f:
            self.jvm = [line.strip() for line in f if line.strip()]
        self.ports = free_ports(args.cameras)
        self.yaml = os.path.join(self.work, "cameras.yaml")
        with open(self.yaml, "w") as f:
            for n, port in enumerate(self.ports):
                f.write(f"""- templatedRoute:
    routeTemplateRef: mjpeg-rtp-stream
    routeId: {camera(n)}
    parameters:
      - name: pipeline
        value: "videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc quality=50"
      - name: host
        value: 127.0.0.1
      - name: port
        value: "{port}"
      - name: sdpFile
        value: "{{{{cameras.sdpDir}}}}/{camera(n)}.sdp"
""")
        self.processes = {}
        self.zookeeper = None
        if args.service == "zookeeper":
            self.zk_port = free_tcp_port()
            data = os.path.join(self.work, "zookeeper")
            os.makedirs(data)
            config = os.path.join(self.work, "zoo.cfg")
            with open(config, "w") as f:
                f.write(f"tickTime=1000\ndataDir={data}\nclientPort={self.zk_port}\nclientPortAddress=127.0.0.1\n"
                        "admin.enableServer=false\n")
            # The server needs Dropwizard metrics and snappy, which the build fetches for curator-test.
            server_jars = [os.path.expanduser(f"~/.m2/repository/{j}") for j in (
                "io/dropwizard/metrics/metrics-core/3.2.5/metrics-core-3.2.5.jar",
                "org/xerial/snappy/snappy-java/1.1.10.4/snappy-java-1.1.10.4.jar")]
            for jar in server_jars:
                if not os.path.exists(jar):
                    sys.exit(f"{jar} missing: run the routes tests once (mvn -B -pl routes -am test-compile)")
            self.zookeeper = subprocess.Popen(
                ["java", "-Xmx64m", "-cp", ":".join([self.jar, *server_jars]),
                 "org.apache.zookeeper.server.ZooKeeperServerMain", config],
                stdout=open(os.path.join(self.work, "zookeeper.log"), "w"), stderr=subprocess.STDOUT)
            time.sleep(3)

    def options(self, name):
        if self.args.service == "file":
            cluster = [f"-Dcamel.cluster.file.enabled=true", f"-Dcamel.cluster.file.id={name}",
                       f"-Dcamel.cluster.file.root={os.path.join(self.work, 'cluster')}",
                       "-Dcamel.cluster.file.acquireLockDelay=100", "-Dcamel.cluster.file.acquireLockDelayUnit=MILLISECONDS",
                       "-Dcamel.cluster.file.acquireLockInterval=500",
                       "-Dcamel.cluster.file.acquireLockIntervalUnit=MILLISECONDS",
                       "-Dcamel.cluster.file.heartbeatTimeoutMultiplier=6"]
        else:
            cluster = ["-Dmjpegrtp.cluster.zookeeper.enabled=true", f"-Dmjpegrtp.cluster.zookeeper.id={name}",
                       f"-Dmjpegrtp.cluster.zookeeper.connectString=127.0.0.1:{self.zk_port}"]
        policy = ["-Dmjpegrtp.cluster.balanced=false"] if self.args.policy == "plain" else []
        return [*self.jvm, *cluster, *policy, f"-Dcamel.main.routesIncludePattern=file:{self.yaml}",
                f"-Dcameras.sdpDir={os.path.join(self.work, name)}", f"-Ddemo.rtspPort={free_tcp_port()}",
                "-jar", self.jar]

    def start(self, name):
        os.makedirs(os.path.join(self.work, name), exist_ok=True)
        log_path = os.path.join(self.work, f"{name}-{len(self.processes)}.log")
        self.processes[name] = subprocess.Popen(["java", *self.options(name)], stdout=open(log_path, "w"),
                                                stderr=subprocess.STDOUT, cwd=self.work)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(log_path) as f:
                if ") started in " in f.read():
                    return time.monotonic()
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not start: {log_path}")

    def owners(self, receiver):
        owners = {}
        for i, ssrc in receiver.live().items():
            for name in NAMES:
                try:
                    with open(os.path.join(self.work, name, camera(i) + ".sdp")) as f:
                        if f"o=- {ssrc} " in f.read():
                            owners[i] = name
                except FileNotFoundError:
                    pass
        return owners

    def close(self):
        for p in self.processes.values():
            p.kill()
        if self.zookeeper:
            self.zookeeper.kill()
        for p in [*self.processes.values(), *([self.zookeeper] if self.zookeeper else [])]:
            p.wait()
        if self.args.keep:
            print(f"logs: {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def camera(n):
    return f"cam-{n + 1:02d}"


def free_ports(count):
    ports = []
    while len(ports) < count:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1] & ~1
        if port > 1024 and all(abs(port - p) > 1 for p in ports):
            ports.append(port)
    return ports


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def busiest(owners):
    """The instance streaming the most cameras, the second on a tie."""
    c = counts(owners, NAMES)
    return max(["second", "first", "third"], key=lambda n: c[n])


def counts(owners, names):
    return {n: sum(1 for o in owners.values() if o == n) for n in names}


def settle(cluster, receiver, names, since, limit, balanced):
    """Waits until every camera streams from one of names, shared within one (balanced) or for limit seconds."""
    while time.monotonic() - since < limit:
        owners = cluster.owners(receiver)
        c = counts(owners, names)
        if (len(owners) == len(cluster.ports) and set(owners.values()) <= set(names)
                and (not balanced or max(c.values()) - min(c.values()) <= 1)):
            return time.monotonic() - since, c
        time.sleep(0.1)
    return None, counts(cluster.owners(receiver), names)


def gaps(changes, since=None):
    values = [(nxt - (since if since is not None else last)) for _, last, nxt in changes]
    if not values:
        return "none"
    return f"{len(values)} changes, median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def report(step, took, c):
    print(f"{step:<34} {('%.1f s' % took) if took is not None else 'not settled':>12}  {c}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--service", choices=["file", "zookeeper"], default="file")
    parser.add_argument("--policy", choices=["balanced", "plain"], default="balanced")
    parser.add_argument("--cameras", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the instances' logs")
    args = parser.parse_args()
    cluster = Cluster(args)
    receiver = Receiver(cluster.ports)
    receiver.start()
    balanced = args.policy == "balanced"
    try:
        print(f"{args.cameras} cameras, 3 instances, {args.service} cluster service, {args.policy} policy")
        t0 = time.monotonic()
        last = None
        for n, name in enumerate(NAMES):
            if n:
                time.sleep(6)
            last = cluster.start(name)
        took, c = settle(cluster, receiver, NAMES, last, 40, balanced)
        report("3 started 6 s apart", took, c)
        print(f"  hand-overs while joining: {gaps(receiver.changes_since(t0))}")

        before = cluster.owners(receiver)
        victim = busiest(before)
        killed = time.monotonic()
        cluster.processes[victim].send_signal(signal.SIGKILL)
        cluster.processes[victim].wait()
        survivors = [n for n in NAMES if n != victim]
        took, c = settle(cluster, receiver, survivors, killed, 30, balanced)
        report(f"kill -9 {victim}", took, c)
        orphaned = [ch for ch in receiver.changes_since(killed) if before.get(ch[0]) == victim]
        print(f"  its cameras again after kill -9: {gaps(orphaned, since=killed)}")
        time.sleep(3)

        restarting = time.monotonic()
        started = cluster.start(victim)
        took, c = settle(cluster, receiver, NAMES, started, 40, balanced)
        report(f"{victim} restarted", took, c)
        print(f"  hand-overs to it: {gaps(receiver.changes_since(restarting))}")
        time.sleep(3)

        before = cluster.owners(receiver)
        victim = busiest(before)
        stopped = time.monotonic()
        cluster.processes[victim].send_signal(signal.SIGTERM)
        took, c = settle(cluster, receiver, [n for n in NAMES if n != victim], stopped, 30, balanced)
        report(f"SIGTERM {victim}", took, c)
        orphaned = [ch for ch in receiver.changes_since(stopped) if before.get(ch[0]) == victim]
        print(f"  its cameras again after SIGTERM: {gaps(orphaned, since=stopped)}")
        print(f"packets of an old sender after a new one started: {receiver.overlaps}")
    finally:
        receiver.close()
        cluster.close()


if __name__ == "__main__":
    main()
