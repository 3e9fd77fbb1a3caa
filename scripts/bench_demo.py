#!/usr/bin/env python3
"""Side-by-side benchmark of the demo route against the same pipeline in native gst-launch-1.0.

Both send 1080p30 Q85 4:2:0 videotestsrc frames as RTP/JPEG (MTU 1400) to a receiver on 127.0.0.1 that counts
frames, packets, sequence gaps and bytes. After a warm-up, CPU time (/proc/PID/stat, children included) is sampled
over the measurement window; peak RSS is VmHWM; for the JVM, young GCs and allocated bytes in the window come from
jstat (allocated = eden used at the end - at the start + young GCs x eden capacity).

Latency from capture: GStreamer's latency tracer times each frame of the native pipeline from videotestsrc to udpsink
(capture to the payloaded frame reaching the sink, encoding included); the demo's gstreamer: consumer times each frame
from capture (base time + PTS on the pipeline clock) to its last packet in the kernel, and from its pull out of the
appsink to that moment (the JVM's own part). The consumer's figures, read over JMX once the rest is measured, cover its
last 1024 frames.

Scheduling: over the window, each process's threads' CPU time and time spent waiting for a core (run-queue wait, from
/proc/PID/task/TID/schedstat) and how often the scheduler took a core from them (involuntary context switches), per
frame: on a loaded machine, the wait is what the latency percentiles above p50 are made of.

Delivery delay: both senders stamp RTP timestamps from the capture PTS, so (arrival of a frame's last packet) -
(RTP timestamp / 90 kHz) is the capture-to-last-packet latency plus one constant per run. The table gives its p50 and
p99 above the fastest frame of the run: the jitter a receiver sees, from scheduling, GC pauses or queueing.

The warm-up starts once every receiver has had a frame. By default the two run at the same time on two ports, so
that whatever else the machine does loads both alike; --sequential runs native first, then the JVM, on one port.

--route plain runs, instead of the demo, the README's first route as a user writes it, with no option beyond the
pipeline: gstreamer: -> jpegToRfc2435 -> rtp-mjpeg: (a YAML file passed with camel.main.routesIncludePattern; no RTSP).

--route srtp runs that route twice instead of native against JVM: as it is (plain RTP), and with srtpKey (SRTP, every
packet encrypted and authenticated); the receiver counts SRTP packets as RTP ones, from their clear headers.

--jvm-options FILE runs the JVMs with another options file than routes/jvm.options (which compiles with C1 only, for
memory: the JDK's AES and SHA-1 then run without the CPU's AES and SHA instructions, which only C2 uses).

--jvm-option passes a system property (or any JVM option) to the JVM, once per option; --scrape URL GETs the URL
every --scrape-interval seconds from the start to the end of the window, as Prometheus would scrape the app's metrics:


--variant runs one JVM per variant beside native, each on its own port, to compare options in one run: a variant is
JVM options added after those of routes/jvm.options ('' for that file alone), and may hold, set once frames flow:
pull-nice=N, the nice value of the consumer's pull thread (the busiest thread of Camel's), as renice would;
pull-fifo=P, that thread in SCHED_FIFO at priority P, as chrt -f would; stream-nice=N, the nice value of GStreamer's
streaming threads (named element:pad). Pass each as --variant='...' (argparse takes a value starting with - for an
option). For each JVM the pull thread's own scheduling is printed beside its process's.

    python3 scripts/bench_demo.py [--route demo|plain|srtp] [--seconds 30] [--warmup 5] [--sequential]
                                  [--jar routes/target/mjpeg-rtp.jar] [--jvm-options routes/jvm.options]
                                  [--jvm-option -Dname=value ...] [--variant 'OPTIONS' ...]
                                  [--scrape http://127.0.0.1:9876/observe/metrics --scrape-interval 15]
"""
import argparse
import base64
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The README's first route, as a user writes it: no option beyond the pipeline.
PLAIN_ROUTE = """- route:
    from:
      uri: gstreamer:cam
      parameters:
        pipeline: "{pipeline}"
      steps:
        - process:
            ref: jpegToRfc2435
        - to:
            uri: rtp-mjpeg:127.0.0.1:{port}{parameters}
"""

# The SRTP key of --route srtp: any 30 bytes in base64.
SRTP_PARAMETERS = ('\n            parameters:'
                   '\n              srtpKey: "{key}"')


class Receiver(threading.Thread):
    """Counts RTP/JPEG frames (by marker bit) and packets; sequence gaps reveal lost packets."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.lock = threading.Lock()
        self.packets = self.frames = self.bytes = self.lost = 0
        self.first_frame_at = self.last_frame_at = None
        self.last_seq = None
        self.delays = []
        self.recording = False
        self.rtp_base = None
        self.last_ts = None
        self.ts_unwrapped = 0
        self.running = True

    def run(self):
        buf = bytearray(65536)
        while self.running:
            try:
                n = self.sock.recv_into(buf)
            except socket.timeout:
                continue
            seq = struct.unpack_from("!H", buf, 2)[0]
            with self.lock:
                if self.last_seq is not None and seq != (self.last_seq + 1) & 0xFFFF:
                    self.lost += (seq - self.last_seq - 1) & 0xFFFF
                self.last_seq = seq
                self.packets += 1
                self.bytes += n
                if buf[1] & 0x80:
                    self.frames += 1
                    now = time.monotonic()
                    self.first_frame_at = self.first_frame_at or now
                    self.last_frame_at = now
                    ts = struct.unpack_from("!I", buf, 4)[0]
                    self.ts_unwrapped += 0 if self.last_ts is None else (ts - self.last_ts) & 0xFFFFFFFF
                    self.last_ts = ts
                    if self.recording:
                        self.delays.append(now - self.ts_unwrapped / 90000.0)

    def snapshot(self, record=None):
        with self.lock:
            if record is not None:
                self.recording = record
            return dict(packets=self.packets, frames=self.frames, bytes=self.bytes, lost=self.lost)

    def delay_percentiles_ms(self):
        """p50 and p99 of the last-packet delay above the fastest frame of the window, in ms."""
        with self.lock:
            delays = sorted(self.delays)
        if not delays:
            return 0.0, 0.0
        best = delays[0]
        pick = lambda q: 1000 * (delays[min(len(delays) - 1, int(q * len(delays)))] - best)
        return pick(0.50), pick(0.99)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / CLK_TCK  # utime stime cutime cstime


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def jstat_gc(pid):
    """Young GC count and eden capacity/used (bytes) from the JVM's perf counters, or None for a non-JVM."""
    try:
        out = subprocess.run(["jstat", "-gc", str(pid)], capture_output=True, text=True, timeout=10).stdout.split("\n")
        values = dict(zip(out[0].split(), out[1].split()))
        return dict(ygc=int(values["YGC"]), ec=float(values["EC"]) * 1024, eu=float(values["EU"]) * 1024)
    except (OSError, IndexError, KeyError, ValueError, subprocess.TimeoutExpired):
        return None


def pull_thread(pid):
    """The thread id of the gstreamer: consumer's pull thread, or None: the busiest of the threads Camel's executors
    started (named "Camel (camel-1) thread #N - gstreamer-NAME", which the kernel cuts to 15 characters)."""
    busiest, busiest_ticks = None, 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if name.startswith("Camel (") and ticks > busiest_ticks:
            busiest, busiest_ticks = tid, ticks
    return busiest if busiest_ticks >= 10 else None  # 0.1 s of CPU: frames have flowed


def scheduler_stats(pid, tids=None):
    """Per thread of a process: CPU and run-queue wait in ns (schedstat) and involuntary context switches."""
    stats = {}
    for tid in tids if tids is not None else os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                cpu, wait = map(int, f.read().split()[:2])
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                preempted = next(int(line.split()[1]) for line in f if line.startswith("nonvoluntary_ctxt_switches"))
        except (OSError, StopIteration):
            continue  # a thread that ended meanwhile
        stats[tid] = (cpu, wait, preempted)
    return stats


LATENCY_LINE = re.compile(r"latency, .*src-element=\(string\)videotestsrc\d+, .*sink-element=\(string\)udpsink\d+, "
                          r".*time=\(guint64\)(\d+)")


def percentiles_ms(nanos):
    nanos = sorted(nanos)
    if not nanos:
        return None
    return tuple(nanos[min(len(nanos) - 1, int(q * len(nanos)))] / 1e6 for q in (0.50, 0.99))


def tracer_latencies_ms(log, offset):
    """p50, p99 of GStreamer's latency tracer, videotestsrc to udpsink, for the frames logged since offset."""
    with open(log, errors="replace") as f:
        f.seek(offset)
        return dict(capture=percentiles_ms([int(m.group(1)) for m in map(LATENCY_LINE.search, f) if m]))


def consumer_latencies_ms(pid):
    """The gstreamer: consumer's capture latency and route time p50, p99 in ms, over JMX."""
    jar = os.path.join(ROOT, "benchmarks/target/benchmarks.jar")
    attributes = ["CaptureLatencyP50Micros", "CaptureLatencyP99Micros", "RouteTimeP50Micros", "RouteTimeP99Micros"]
    try:
        out = subprocess.run(["java", "-cp", jar, "dev.mjpegrtp.benchmarks.JmxAttributes", str(pid),
                              "org.apache.camel:type=consumers,*", *attributes],
                             capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    values = dict(line.rsplit(" ", 1)[1].split("=") for line in out.splitlines() if "=" in line)
    if len(values) < len(attributes):
        return {}
    ms = lambda name: int(values[name]) / 1000
    return dict(capture=(ms(attributes[0]), ms(attributes[1])), route=(ms(attributes[2]), ms(attributes[3])))


class Run:
    """One sender process and its receiver, measured over a window."""

    def __init__(self, name, command, port, jvm=False, env=None, scheduling=None):
        self.name, self.command, self.port, self.jvm, self.env = name, command, port, jvm, env
        self.scheduling, self.pull_tid = scheduling or {}, None

    def start(self):
        self.receiver = Receiver(self.port)
        self.receiver.start()
        self.log = tempfile.NamedTemporaryFile(mode="w+", suffix=".log")
        self.proc = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=self.log, cwd=tempfile.mkdtemp(),
                                     env=dict(os.environ, **self.env) if self.env else None)

    def find_pull_thread(self):
        if self.jvm and self.pull_tid is None:
            self.pull_tid = pull_thread(self.proc.pid)
            if self.pull_tid is None:
                return
            if "pull-nice" in self.scheduling:
                os.setpriority(os.PRIO_PROCESS, int(self.pull_tid), self.scheduling["pull-nice"])
            if "pull-fifo" in self.scheduling:
                os.sched_setscheduler(int(self.pull_tid), os.SCHED_FIFO, os.sched_param(self.scheduling["pull-fifo"]))
            if "stream-nice" in self.scheduling:
                for tid in os.listdir(f"/proc/{self.proc.pid}/task"):
                    with open(f"/proc/{self.proc.pid}/task/{tid}/comm") as f:
                        if ":" in f.read():
                            os.setpriority(os.PRIO_PROCESS, int(tid), self.scheduling["stream-nice"])

    def begin(self):
        self.find_pull_thread()
        self.log_offset = os.path.getsize(self.log.name)
        self.gc0 = jstat_gc(self.proc.pid) if self.jvm else None
        self.sched0 = scheduler_stats(self.proc.pid)
        self.pull0 = scheduler_stats(self.proc.pid, [self.pull_tid]) if self.pull_tid else {}
        self.before, self.cpu0, self.t0 = self.receiver.snapshot(True), cpu_seconds(self.proc.pid), time.monotonic()

    def end(self):
        self.after, self.cpu1, self.t1 = self.receiver.snapshot(False), cpu_seconds(self.proc.pid), time.monotonic()
        self.sched1 = scheduler_stats(self.proc.pid)
        self.pull1 = scheduler_stats(self.proc.pid, [self.pull_tid]) if self.pull_tid else {}
        self.gc1 = jstat_gc(self.proc.pid) if self.jvm else None
        self.hwm = vm_hwm_kb(self.proc.pid)

    def read_latency(self):
        """After every run's window has ended: attaching over JMX takes seconds and loads classes into the JVM."""
        self.latency = consumer_latencies_ms(self.proc.pid) if self.jvm else tracer_latencies_ms(self.log.name,
                                                                                                   self.log_offset)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.receiver.running = False
        self.receiver.join()
        self.receiver.sock.close()  # --sequential binds the same port again

    def result(self):
        d = {k: self.after[k] - self.before[k] for k in self.after}
        wall = self.t1 - self.t0
        p50, p99 = self.receiver.delay_percentiles_ms()
        r = dict(name=self.name, frames=d["frames"], fps=d["frames"] / wall, packets=d["packets"], lost=d["lost"],
                 packets_per_frame=d["packets"] / max(1, d["frames"]), mbytes=d["bytes"] / 1e6,
                 cpu=100 * (self.cpu1 - self.cpu0) / wall, rss_mb=self.hwm / 1024, p50=p50, p99=p99,
                 gcs=None, alloc_mb=None, wall=wall)
        # Threads alive over the whole window, summed: what they ran, what they waited for a core, how often the
        # scheduler took a core from them, per frame.
        def per_frame(s0, s1):
            threads = s0.keys() & s1.keys()
            total = lambda i, scale: sum(s1[t][i] - s0[t][i] for t in threads) / scale / max(1, d["frames"])
            return (total(0, 1e6), total(1, 1e6), total(2, 1)) if threads else None
        r["sched"] = per_frame(self.sched0, self.sched1)
        r["pull_sched"] = per_frame(self.pull0, self.pull1) if self.jvm else None
        if self.gc0 and self.gc1:
            r["gcs"] = self.gc1["ygc"] - self.gc0["ygc"]
            r["alloc_mb"] = (self.gc1["eu"] - self.gc0["eu"] + r["gcs"] * self.gc1["ec"]) / 1e6
        return r


class Scraper(threading.Thread):
    """GETs a URL every interval seconds, as Prometheus scrapes a target; counts the answers and their bytes."""

    def __init__(self, url, interval):
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.stopped = threading.Event()
        self.scrapes = self.failures = self.bytes = 0

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                with urllib.request.urlopen(self.url, timeout=10) as answer:
                    self.bytes += len(answer.read())
                    self.scrapes += 1
            except OSError:
                self.failures += 1


def measure(runs, warmup, seconds, scraper=None):
    try:
        for run in runs:
            run.start()
        deadline = time.monotonic() + 180  # a loaded machine starts a JVM slowly: the warm-up counts from the frames
        while any(run.receiver.snapshot()["frames"] == 0 for run in runs) and time.monotonic() < deadline:
            time.sleep(0.5)
        if scraper:
            scraper.start()
        deadline = time.monotonic() + warmup
        while time.monotonic() < deadline:  # the pull thread's nice as soon as it starts
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
            for run in runs:
                try:
                    run.find_pull_thread()
                except OSError:
                    pass  # not started yet
        for run in runs:
            run.begin()
        time.sleep(seconds)
        for run in runs:
            run.end()
        for run in runs:
            run.read_latency()
    finally:
        if scraper:
            scraper.stopped.set()
        for run in runs:
            run.stop()
    return [run.result() for run in runs]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--port", type=int, default=5004)
    parser.add_argument("--jvm-options", default=os.path.join(ROOT, "routes/jvm.options"))
    parser.add_argument("--sequential", action="store_true", help="native first, then the JVM, on one port")
    parser.add_argument("--route", choices=["demo", "plain", "srtp"], default="demo",
                        help="the demo, the README's first route with no options, or that route without and with SRTP")
    parser.add_argument("--jvm-option", action="append", default=[], help="a JVM option, such as -Dname=value")
    parser.add_argument("--scrape", help="a URL to GET every --scrape-interval seconds, such as the metrics")
    parser.add_argument("--scrape-interval", type=float, default=15)
    parser.add_argument("--variant", action="append",
                        help="JVM options after routes/jvm.options, and pull-nice=N; one JVM each (default: one, '')")
    args = parser.parse_args()
    args.jar = os.path.abspath(args.jar)  # the processes run in a directory of their own
    variants = args.variant or [""]
    if args.sequential and len(variants) > 1:
        parser.error("--sequential runs one JVM")

    caps = "video/x-raw,format=I420,width=1920,height=1080,framerate=30/1"
    native = ["gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=smpte", "!", caps, "!",
              "jpegenc", "quality=85", "!", "rtpjpegpay", "mtu=1400", "!", "udpsink", "host=127.0.0.1",
              f"port={args.port}"]
    with open(args.jvm_options) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    def plain_route(port, extra, parameters=""):
        route = tempfile.NamedTemporaryFile(mode="w", suffix=".yaml", delete=False)
        route.write(PLAIN_ROUTE.format(pipeline=" ".join(native[2:native.index("rtpjpegpay") - 1]), port=port,
                                       parameters=parameters))
        route.close()
        return ["java", *jvm_options, *args.jvm_option, *extra, f"-Dcamel.main.routesIncludePattern=file:{route.name}",
                "-jar", args.jar]

    tracer = dict(GST_TRACERS="latency", GST_DEBUG="GST_TRACER:7", GST_DEBUG_NO_COLOR="1")
    runs = [Run("gst-launch-1.0 (native)", native, args.port, env=tracer)]
    for i, variant in enumerate(variants):
        jvm_port = args.port if args.sequential else args.port + 2 * (i + 1)
        extra = [o for o in variant.split() if o.startswith("-")]
        scheduling = {o.split("=", 1)[0]: int(o.split("=", 1)[1]) for o in variant.split() if not o.startswith("-")}
        unknown = scheduling.keys() - {"pull-nice", "pull-fifo", "stream-nice"}
        if unknown:
            parser.error(f"unknown in --variant: {', '.join(unknown)}")
        if args.route in ("plain", "srtp"):
            ours = plain_route(jvm_port, extra)
            name = "README's first route (JVM)" if args.route == "plain" else "plain RTP (JVM)"
        else:
            ours = ["java", *jvm_options, *args.jvm_option, *extra, f"-Ddemo.port={jvm_port}", "-jar", args.jar]
            name = "mjpeg-rtp demo (JVM)"
        if len(variants) > 1:
            name = f"JVM {i + 1}"
            print(f"{name}: {variant or 'routes/jvm.options'}")
        runs.append(Run(name, ours, jvm_port, jvm=True, scheduling=scheduling))
    scraper = Scraper(args.scrape, args.scrape_interval) if args.scrape else None
    if args.route == "srtp":
        key = base64.b64encode(os.urandom(30)).decode()
        runs = [runs[1], Run("SRTP (JVM)", plain_route(args.port, [], SRTP_PARAMETERS.format(key=key)), args.port,
                             jvm=True)]
    if args.sequential:
        rows = measure(runs[:1], args.warmup, args.seconds) + measure(runs[1:], args.warmup, args.seconds, scraper)
    else:
        rows = measure(runs, args.warmup, args.seconds, scraper)

    base = rows[0]
    print(f"{args.seconds:.0f} s after {args.warmup:.0f} s warm-up, 1080p30 Q85 4:2:0, MTU 1400, receiver on 127.0.0.1, "
          f"{'one after the other' if args.sequential else 'all at once'}; load average {os.getloadavg()[0]:.2f}")
    header = (f"{'':27} {'frames':>7} {'fps':>6} {'lost pkts':>9} {'packets':>8} {'pkt/frame':>9} {'MB':>7} "
              f"{'CPU %':>6} {'peak RSS MB':>11} {'delay p50 ms':>12} {'p99 ms':>7}")
    print(header)
    for row in rows:
        print(f"{row['name']:27} {row['frames']:7d} {row['fps']:6.2f} {row['lost']:9d} {row['packets']:8d} "
              f"{row['packets_per_frame']:9.1f} {row['mbytes']:7.1f} {row['cpu']:6.1f} {row['rss_mb']:11.1f} "
              f"{row['p50']:12.2f} {row['p99']:7.2f}")
    baseline = "plain" if args.route == "srtp" else "native"
    for r in rows[1:]:
        ratio = lambda key: r[key] / max(1e-9, base[key])
        label = ("ratio SRTP / plain" if args.route == "srtp" else "ratio JVM / native") if len(rows) == 2 \
            else f"ratio {r['name']} / {baseline}"
        print(f"{label:27} {ratio('frames'):7.2f} {ratio('fps'):6.2f} {'':9} {ratio('packets'):8.2f} "
              f"{ratio('packets_per_frame'):9.2f} {ratio('mbytes'):7.2f} {ratio('cpu'):6.2f} {ratio('rss_mb'):11.2f}")
    show = lambda pair: f"p50 {pair[0]:.2f} ms, p99 {pair[1]:.2f} ms" if pair else "not measured"
    if args.route != "srtp":
        print(f"latency from capture, encoding included, native to udpsink: {show(runs[0].latency.get('capture'))}")
    for run, r in zip(runs, rows):
        if not run.jvm:
            continue
        if r["gcs"] is not None:
            print(f"{r['name']} in the window: {r['gcs']} young GCs ({r['gcs'] / r['wall']:.2f}/s), "
                  f"{r['alloc_mb']:.1f} MB allocated ({r['alloc_mb'] / max(1e-9, r['mbytes']):.2f} x the bytes on the wire)")
        print(f"{r['name']}, capture to the last packet in the kernel: {show(run.latency.get('capture'))}")
        print(f"{r['name']}, the JVM's own part, appsink pull to the last packet in the kernel: "
              f"{show(run.latency.get('route'))}")
    if scraper:
        print(f"scraped {args.scrape} every {args.scrape_interval:g} s: {scraper.scrapes} answers of "
              f"{scraper.bytes / max(1, scraper.scrapes) / 1024:.1f} KB on average, {scraper.failures} failures")
    for row in rows:
        for key, threads in (("sched", "all threads"), ("pull_sched", "pull thread")):
            if row.get(key):
                cpu, wait, preempted = row[key]
                print(f"{row['name']}, {threads}, per frame: {cpu:.2f} ms on a core, {wait:.2f} ms waiting for one, "
                      f"preempted {preempted:.2f} times")


if __name__ == "__main__":
    sys.exit(main())
