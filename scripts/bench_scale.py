#!/usr/bin/env python3
"""Scale figures of the app on this machine against native GStreamer: fan-out of one stream to many receivers, and
many streams in one JVM against as many gst-launch-1.0 processes.

    python3 scripts/bench_scale.py fanout [--receivers 64] [--seconds 30] [--impl jvm,native]
        one 1080p30 Q85 videotestsrc, parsed once by jpegToRfc2435, multicast to N rtp-mjpeg: unicast destinations;
        native: the same source to rtpjpegpay mtu=1400 ! multiudpsink with the N destinations, one process
    python3 scripts/bench_scale.py streams [--counts 1,4,8,12] [--seconds 20] [--impl jvm,native]
                                           [--jvm-option=-Dname=value ...]
        K independent 720p30 Q85 sources (each its own gstreamer: pipeline and rtp-mjpeg: destination) in one JVM;
        native: K gst-launch-1.0 processes, each source ! rtpjpegpay mtu=1400 ! udpsink

Routes are written as a YAML file the jar runs instead of its demo (camel.main.routesIncludePattern), with the JVM
flags of routes/jvm.options; the warm-up starts once every destination has had a frame. For each N the JVM and
native run one after the other (--impl picks either or both, in that order). Every destination has its own receiving
socket on 127.0.0.1, drained by one epoll loop that counts packets, frames (marker bits) and packets missing from
each stream's sequence; the kernel's UDP receive buffer errors, machine-wide (other processes' included), are
reported beside them. CPU % of one core comes from /proc/PID/stat over the window after a warm-up, summed over the
processes, and per frame (streams: CPU / (N x mean fps); fanout: CPU / mean fps), the figure that holds when a
loaded machine slows the sources; peak RSS is VmHWM, summed over the processes (each one's own peak).
"""
import argparse
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_demo import ROOT, cpu_seconds, vm_hwm_kb  # noqa: E402


def udp_receive_buffer_errors():
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Udp:")]
    return int(dict(zip(rows[0][1:], rows[1][1:]))["RcvbufErrors"])


class Streams(threading.Thread):
    """Drains one socket per stream; per stream: packets, frames, and packets missing from the sequence."""

    def __init__(self, count, first_port):
        super().__init__(daemon=True)
        self.sockets = []
        for i in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            s.bind(("127.0.0.1", first_port + 2 * i))
            s.setblocking(False)
            self.sockets.append(s)
        self.index = {s.fileno(): i for i, s in enumerate(self.sockets)}
        self.packets = [0] * count
        self.frames = [0] * count
        self.missing = [0] * count
        self.last_seq = [None] * count
        self.running = True

    def run(self):
        poller = select.epoll()
        for s in self.sockets:
            poller.register(s.fileno(), select.EPOLLIN)
        buf = bytearray(65536)
        while self.running:
            for fd, _ in poller.poll(0.2):
                i = self.index[fd]
                s = self.sockets[i]
                while True:
                    try:
                        s.recv_into(buf)
                    except BlockingIOError:
                        break
                    seq = (buf[2] << 8) | buf[3]
                    last = self.last_seq[i]
                    if last is not None and seq != (last + 1) & 0xFFFF:
                        self.missing[i] += (seq - last - 1) & 0xFFFF
                    self.last_seq[i] = seq
                    self.packets[i] += 1
                    if buf[1] & 0x80:
                        self.frames[i] += 1
        poller.close()

    def snapshot(self):
        return list(self.packets), list(self.frames), list(self.missing)

    def close(self):
        self.running = False
        self.join()
        for s in self.sockets:
            s.close()


def route(route_id, pipeline, destinations):
    lines = [f"- route:", f"    id: {route_id}", f"    from:", f"      uri: gstreamer:{route_id}",
             f"      parameters:", f"        pipeline: \"{pipeline}\"", f"      steps:",
             f"        - process:", f"            ref: jpegToRfc2435"]
    if len(destinations) == 1:
        lines += [f"        - to: \"{destinations[0]}\""]
    else:
        lines += [f"        - multicast:", f"            steps:"]
        lines += [f"              - to: \"{d}\"" for d in destinations]
    return "\n".join(lines)


def source(width, height):
    return (f"videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,width={width},height={height},"
            f"framerate=30/1 ! jpegenc quality=85")


def jvm_command(yaml_text, work, extra_options):
    routes = os.path.join(work, "routes.yaml")
    with open(routes, "w") as f:
        f.write(yaml_text + "\n")
    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    return lambda jar: ["java", *jvm_options, *extra_options, f"-Dcamel.main.routesIncludePattern=file:{routes}",
                        "-jar", jar]


def native_command(pipeline):
    return ["gst-launch-1.0", "-q", *pipeline.split()]


def run(commands, streams, first_port, warmup, seconds):
    """Starts the processes, measures them together over the window after the warm-up, and stops them."""
    work = tempfile.mkdtemp()
    receiver = Streams(streams, first_port)
    receiver.start()
    log = open(os.path.join(work, "processes.log"), "w")
    procs = [subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work) for command in commands]
    cpu = lambda: sum(cpu_seconds(p.pid) for p in procs)
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts a JVM slowly: the warm-up counts from the frames
        while min(receiver.snapshot()[1]) == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(warmup)
        p0, f0, m0 = receiver.snapshot()
        errors0, cpu0, t0 = udp_receive_buffer_errors(), cpu(), time.monotonic()
        time.sleep(seconds)
        p1, f1, m1 = receiver.snapshot()
        errors1, cpu1, t1 = udp_receive_buffer_errors(), cpu(), time.monotonic()
        hwm = sum(vm_hwm_kb(p.pid) for p in procs)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        receiver.close()
        log.close()
    wall = t1 - t0
    fps = [(b - a) / wall for a, b in zip(f0, f1)]
    return dict(fps_min=min(fps), fps_mean=sum(fps) / len(fps), missing=sum(b - a for a, b in zip(m0, m1)),
                packets=sum(b - a for a, b in zip(p0, p1)), rcvbuf_errors=errors1 - errors0,
                cpu=100 * (cpu1 - cpu0) / wall, rss_mb=hwm / 1024, log=os.path.join(work, "processes.log"))


def per_frame_ms(r, sources):
    return f"{10 * r['cpu'] / (sources * r['fps_mean']):.2f}" if r["fps_mean"] else "-"


def print_row(label, n, r, sources):
    """sources: how many frames a frame interval brings, N streams or the fan-out's one."""
    print(f"{label:>8} {n:5d} {r['fps_min']:8.2f} {r['fps_mean']:8.2f} {r['missing']:8d} {r['rcvbuf_errors']:8d} "
          f"{r['packets']:9d} {r['cpu']:7.1f} {r['cpu'] / n:7.2f} {per_frame_ms(r, sources):>8} "
          f"{r['rss_mb']:8.1f}  {os.getloadavg()[0]:5.2f}")
    sys.stdout.flush()


def print_ratio(n, jvm, native):
    per_frame = lambda r: r["cpu"] / r["fps_mean"]
    ratio = f"{per_frame(jvm) / per_frame(native):.2f}" if jvm["fps_mean"] and native["fps_mean"] else "-"
    print(f"{'JVM/nat':>8} {n:5d} {'':8} {'':8} {'':8} {'':8} {'':9} {jvm['cpu'] / native['cpu']:7.2f} {'':7} "
          f"{ratio:>8} {jvm['rss_mb'] / native['rss_mb']:8.2f}")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fanout", "streams"])
    parser.add_argument("--receivers", type=int, default=64)
    parser.add_argument("--counts", default="1,4,8,12")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--port", type=int, default=20000)
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--impl", default="jvm,native", help="jvm, native or both, run in that order")
    parser.add_argument("--jvm-option", action="append", default=[], help="JVM option after routes/jvm.options")
    args = parser.parse_args()
    jar = os.path.abspath(args.jar)  # the processes run in a directory of their own
    impls = args.impl.split(",")

    print(f"{args.seconds:.0f} s after {args.warmup:.0f} s warm-up; load average before {os.getloadavg()[0]:.2f}")
    print(f"{'impl':>8} {'N':>5} {'min fps':>8} {'mean fps':>8} {'missing':>8} {'rcvbuf':>8} {'packets':>9} "
          f"{'CPU %':>7} {'CPU/N':>7} {'ms/frame':>8} {'RSS MB':>8}  {'load':>5}")
    if args.mode == "fanout":
        n = args.receivers
        ports = [args.port + 2 * i for i in range(n)]
        setups = dict(
            jvm=lambda: [jvm_command(route("fanout", source(1920, 1080),
                                           [f"rtp-mjpeg:127.0.0.1:{p}?rtcp=false" for p in ports]), tempfile.mkdtemp(),
                                           args.jvm_option)(jar)],
            native=lambda: [native_command(f"{source(1920, 1080)} ! rtpjpegpay mtu=1400 ! multiudpsink "
                                           f"clients={','.join(f'127.0.0.1:{p}' for p in ports)}")])
        counts = [n]
    else:
        counts = [int(c) for c in args.counts.split(",")]
    for k in counts:
        if args.mode == "streams":
            setups = dict(
                jvm=lambda: [jvm_command("\n".join(route(f"cam{i}", source(1280, 720),
                                                         [f"rtp-mjpeg:127.0.0.1:{args.port + 2 * i}?rtcp=false"])
                                                   for i in range(k)), tempfile.mkdtemp(), args.jvm_option)(jar)],
                native=lambda: [native_command(f"{source(1280, 720)} ! rtpjpegpay mtu=1400 ! udpsink host=127.0.0.1 "
                                               f"port={args.port + 2 * i}") for i in range(k)])
        results = {}
        for impl in impls:
            results[impl] = run(setups[impl](), k, args.port, args.warmup, args.seconds)
            print_row(impl, k, results[impl], k if args.mode == "streams" else 1)
        if len(results) == 2:
            print_ratio(k, results["jvm"], results["native"])


if __name__ == "__main__":
    sys.exit(main())
