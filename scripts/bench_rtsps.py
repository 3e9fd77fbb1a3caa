#!/usr/bin/env python3
"""What TLS costs the RTSP server: N FFmpeg viewers of one 1080p30 Q85 4:2:0 source over rtsp:// and over rtsps://.

One run measures both, one after the other, each against a fresh server: the jar (java @routes/jvm.options -jar
routes/target/mjpeg-rtp.jar) with -Ddemo.rtspTls=true, running a route that serves the demo's frames at
rtsp://127.0.0.1:PORT/demo and rtsps://127.0.0.1:TLSPORT/demo (a self-signed certificate made at start) and nothing
else. Both viewers' sets take RTP interleaved in the RTSP connection (-rtsp_transport tcp; rtsps:// has no other),
so the only difference is TLS. The viewers copy frames without decoding (-c:v copy -f framecrc), one line per frame,
so that their own CPU stays small; they connect one after the other, each once the previous one has its first
frame. After the warm-up, the server's CPU (utime + stime from /proc/PID/stat) is measured
over the window, its RSS at the end (VmRSS) and its peak (VmHWM); the viewers' CPU together and their frame rates
too. Server and viewers run under nice -n -10 (as root), so that other work on the machine disturbs them less; the
load average is printed with each row. Needs the jar (mvn -B -DskipTests package) and ffmpeg. Not a test: CI does
not run it.

    python3 scripts/bench_rtsps.py [--viewers 8] [--seconds 20] [--warmup 12] [--port 28554] [--tls-port 28322]
"""
import argparse
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_demo import ROOT, cpu_seconds  # noqa: E402

# The demo's frames to rtsp:// and, through DemoRtsps's route, to rtsps://; no plain RTP stream.
ROUTE = """- route:
    id: demo
    from:
      uri: gstreamer:demo
      parameters:
        pipeline: "{{demo.pipeline}}"
      steps:
        - process:
            ref: jpegToRfc2435
        - to:
            uri: "rtsp-mjpeg:{{demo.rtspHost}}:{{demo.rtspPort}}/{{demo.rtspPath}}"
        - to:
            uri: "direct:demo-rtsps"
            parameters:
              block: false
              failIfNoConsumers: false
"""


def viewers_cpu_seconds(viewers):
    """CPU seconds of the viewers still running; one that exited is reported in the viewers alive column."""
    total = 0
    for process, _ in viewers:
        try:
            total += cpu_seconds(process.pid)
        except FileNotFoundError:
            pass
    return total


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def await_options(port, tls, proc, timeout=90):
    """Waits until the server answers OPTIONS with 200, over TLS (any certificate) for rtsps."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                s = context.wrap_socket(raw) if tls else raw
                s.sendall(f"OPTIONS rtsp://127.0.0.1:{port}/demo RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
                if b" 200 " in s.recv(65536):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"port {port} did not answer OPTIONS in {timeout} s")


def frames(path):
    """Frames a viewer has written so far; 0 before its output exists."""
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.startswith(b"0,"))
    except FileNotFoundError:
        return 0


def measure(scheme, args, server_command, nice):
    port = args.tls_port if scheme == "rtsps" else args.port
    url = f"{scheme}://127.0.0.1:{port}/demo"
    work = tempfile.mkdtemp()
    server = subprocess.Popen(nice + server_command, stdout=open(os.path.join(work, "server.log"), "w"),
                              stderr=subprocess.STDOUT, cwd=work)
    viewers = []
    try:
        await_options(port, scheme == "rtsps", server)
        for i in range(args.viewers):
            out = os.path.join(work, f"viewer-{i}.framecrc")
            viewer = subprocess.Popen(nice + ["ffmpeg", "-nostdin", "-v", "warning", "-rtsp_transport", "tcp", "-i", url,
                                              "-c:v", "copy", "-f", "framecrc", "-flush_packets", "1", out],
                                      stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(work, f"viewer-{i}.log"), "w"))
            viewers.append((viewer, out))
            # one viewer at a time, each playing before the next connects: what is measured is streaming, not a
            # burst of handshakes on a busy machine
            deadline = time.monotonic() + 30
            while frames(out) == 0 and viewer.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
        time.sleep(args.warmup)
        failed = [i for i, (p, _) in enumerate(viewers) if p.poll() is not None]
        if failed:
            with open(os.path.join(work, f"viewer-{failed[0]}.log")) as log:
                raise RuntimeError(f"{scheme}: viewers {failed} exited during the warm-up: {log.read()[:500]}")
        frames0 = [frames(out) for _, out in viewers]
        cpu0 = cpu_seconds(server.pid)
        viewers_cpu0 = viewers_cpu_seconds(viewers)
        t0 = time.monotonic()
        time.sleep(args.seconds)
        wall = time.monotonic() - t0
        cpu1 = cpu_seconds(server.pid)
        viewers_cpu1 = viewers_cpu_seconds(viewers)
        frames1 = [frames(out) for _, out in viewers]
        rss, hwm = status_kb(server.pid, "VmRSS"), status_kb(server.pid, "VmHWM")
        load = os.getloadavg()[0]
        alive = sum(1 for p, _ in viewers if p.poll() is None)
        print(f"{scheme}: viewers' logs and the server's in {work}", flush=True)
    finally:
        for p, _ in viewers:
            p.terminate()
        for p, _ in viewers:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    rates = [(b - a) / wall for a, b in zip(frames0, frames1)]
    return dict(scheme=scheme, cpu=100 * (cpu1 - cpu0) / wall, rss=rss / 1024, hwm=hwm / 1024,
                viewers_cpu=100 * (viewers_cpu1 - viewers_cpu0) / wall, fps_min=min(rates), fps_max=max(rates),
                alive=alive, load=load)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=12)
    parser.add_argument("--port", type=int, default=28554, help="rtsp:// port (bench_rtsp.py's is 18554)")
    parser.add_argument("--tls-port", type=int, default=28322, help="rtsps:// port")
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--jvm-option", action="append", default=[], help="extra JVM option for the server")
    args = parser.parse_args()

    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    route = os.path.join(tempfile.mkdtemp(), "rtsp-and-rtsps.yaml")
    with open(route, "w") as f:
        f.write(ROUTE)
    server = ["java", *jvm_options, *args.jvm_option, f"-Ddemo.rtspPort={args.port}",
              f"-Ddemo.rtspsPort={args.tls_port}", "-Ddemo.rtspTls=true",
              f"-Dcamel.main.routesIncludePattern=file:{route}", "-jar", args.jar]
    nice = ["nice", "-n", "-10"] if os.geteuid() == 0 else []

    rows = [measure(scheme, args, server, nice) for scheme in ("rtsp", "rtsps")]
    print(f"{args.viewers} FFmpeg viewers (-rtsp_transport tcp -c:v copy), 1080p30 Q85 4:2:0, MTU 1400, 127.0.0.1; "
          f"{args.seconds:.0f} s window after {args.warmup:.0f} s warm-up; CPU in % of one core"
          + ("; nice -n -10" if nice else ""))
    print(f"{'scheme':6} {'server CPU %':>12} {'RSS MB':>7} {'peak RSS MB':>11} {'viewers CPU %':>13} "
          f"{'fps/viewer min-max':>19} {'viewers alive':>13} {'load 1m':>7}")
    for r in rows:
        print(f"{r['scheme']:6} {r['cpu']:12.1f} {r['rss']:7.1f} {r['hwm']:11.1f} {r['viewers_cpu']:13.1f} "
              f"{r['fps_min']:9.2f}-{r['fps_max']:<9.2f} {r['alive']:13d} {r['load']:7.2f}")
    plain, tls = rows
    print(f"rtsps / rtsp: server CPU {tls['cpu'] / max(plain['cpu'], 1e-9):.2f}, RSS {tls['rss'] / plain['rss']:.2f}, "
          f"peak RSS {tls['hwm'] / plain['hwm']:.2f}, viewers CPU {tls['viewers_cpu'] / max(plain['viewers_cpu'], 1e-9):.2f}")


if __name__ == "__main__":
    sys.exit(main())
