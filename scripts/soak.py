#!/usr/bin/env python3
"""Soak test of the demo: runs the app (1080p30 by default) for --minutes with a receiver on 127.0.0.1, then reports
frames, lost packets, and RSS and thread count after the first minute against the end.

Passes when no packet was lost, the frame rate held, RSS at the end is within 5 % of RSS after the first minute
and the thread count did not grow.

    python3 scripts/soak.py [--minutes 10] [--jar routes/target/mjpeg-rtp.jar] [-- extra -D options]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_demo import ROOT, Receiver  # noqa: E402


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--port", type=int, default=5004)
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()

    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    receiver = Receiver(args.port)
    receiver.start()
    proc = subprocess.Popen(["java", *jvm_options, f"-Ddemo.port={args.port}", *args.extra, "-jar", args.jar],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=tempfile.mkdtemp())
    try:
        time.sleep(60)
        first = receiver.snapshot()
        rss_first, threads_first = status(proc.pid, "VmRSS"), status(proc.pid, "Threads")
        t0 = time.monotonic()
        samples = []
        while time.monotonic() - t0 < (args.minutes - 1) * 60:
            time.sleep(30)
            samples.append((round(time.monotonic() - t0), status(proc.pid, "VmRSS") // 1024, status(proc.pid, "Threads")))
            print(f"  +{samples[-1][0]:4d} s  RSS {samples[-1][1]} MB  threads {samples[-1][2]}", flush=True)
        last = receiver.snapshot()
        rss_last, threads_last = status(proc.pid, "VmRSS"), status(proc.pid, "Threads")
        elapsed = time.monotonic() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        receiver.running = False
        receiver.join()

    frames = last["frames"] - first["frames"]
    fps = frames / elapsed
    lost = last["lost"] - first["lost"]
    growth = (rss_last - rss_first) / rss_first * 100
    print(f"after the first minute, {elapsed:.0f} s: {frames} frames ({fps:.2f} fps), {lost} packets lost, "
          f"RSS {rss_first // 1024} -> {rss_last // 1024} MB ({growth:+.1f} %), threads {threads_first} -> {threads_last}")
    ok = lost == 0 and fps >= 29.5 and abs(growth) <= 5 and threads_last <= threads_first
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
