#!/usr/bin/env python3
"""Side-by-side benchmark of the demo route against the same pipeline in native gst-launch-1.0.

Both send 1080p30 Q85 4:2:0 videotestsrc frames as RTP/JPEG (MTU 1400) to a receiver on 127.0.0.1 that counts
frames, packets, sequence gaps and bytes. After a warm-up, CPU time (/proc/PID/stat, children included) is sampled
over the measurement window; peak RSS is VmHWM; for the JVM, young GCs come from -Xlog:gc.

    python3 scripts/bench_demo.py [--seconds 30] [--warmup 5] [--jar routes/target/mjpeg-rtp.jar]
"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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

    def snapshot(self):
        with self.lock:
            return dict(packets=self.packets, frames=self.frames, bytes=self.bytes, lost=self.lost)


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


def measure(name, command, port, warmup, seconds, env=None):
    receiver = Receiver(port)
    receiver.start()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env, cwd=tempfile.mkdtemp())
    try:
        time.sleep(warmup)
        before, cpu0, t0 = receiver.snapshot(), cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        after, cpu1, t1 = receiver.snapshot(), cpu_seconds(proc.pid), time.monotonic()
        hwm = vm_hwm_kb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        receiver.running = False
        receiver.join()
    d = {k: after[k] - before[k] for k in after}
    wall = t1 - t0
    return dict(name=name, frames=d["frames"], fps=d["frames"] / wall, packets=d["packets"], lost=d["lost"],
                packets_per_frame=d["packets"] / max(1, d["frames"]), mbytes=d["bytes"] / 1e6,
                cpu=100 * (cpu1 - cpu0) / wall, rss_mb=hwm / 1024)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--port", type=int, default=5004)
    args = parser.parse_args()

    caps = "video/x-raw,format=I420,width=1920,height=1080,framerate=30/1"
    native = ["gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=smpte", "!", caps, "!",
              "jpegenc", "quality=85", "!", "rtpjpegpay", "mtu=1400", "!", "udpsink", "host=127.0.0.1",
              f"port={args.port}"]
    gc_log = tempfile.mktemp(suffix=".gclog")
    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    ours = ["java", *jvm_options, f"-Xlog:gc:file={gc_log}", f"-Ddemo.port={args.port}", "-jar", args.jar]

    rows = [measure("gst-launch-1.0 (native)", native, args.port, args.warmup, args.seconds),
            measure("mjpeg-rtp demo (JVM)", ours, args.port, args.warmup, args.seconds)]
    with open(gc_log) as f:
        young = sum(1 for line in f if re.search(r"Pause Young", line))
    rows[1]["gcs"] = young

    base = rows[0]
    print(f"{args.seconds:.0f} s after {args.warmup:.0f} s warm-up, 1080p30 Q85 4:2:0, MTU 1400, receiver on 127.0.0.1")
    header = f"{'':26} {'frames':>7} {'fps':>6} {'lost pkts':>9} {'packets':>8} {'pkt/frame':>9} {'MB':>7} {'CPU %':>6} {'peak RSS MB':>11}"
    print(header)
    for r in rows:
        print(f"{r['name']:26} {r['frames']:7d} {r['fps']:6.2f} {r['lost']:9d} {r['packets']:8d} "
              f"{r['packets_per_frame']:9.1f} {r['mbytes']:7.1f} {r['cpu']:6.1f} {r['rss_mb']:11.1f}")
    r = rows[1]
    print(f"{'ratio JVM / native':26} {r['frames'] / max(1, base['frames']):7.2f} {r['fps'] / max(1e-9, base['fps']):6.2f} "
          f"{'':9} {r['packets'] / max(1, base['packets']):8.2f} {r['packets_per_frame'] / max(1e-9, base['packets_per_frame']):9.2f} "
          f"{r['mbytes'] / max(1e-9, base['mbytes']):7.2f} {r['cpu'] / max(1e-9, base['cpu']):6.2f} {r['rss_mb'] / max(1e-9, base['rss_mb']):11.2f}")
    print(f"JVM young GCs in the whole run: {young}")


if __name__ == "__main__":
    sys.exit(main())
