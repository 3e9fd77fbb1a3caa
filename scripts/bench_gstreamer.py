#!/usr/bin/env python3
"""What the gstreamer: consumer costs beyond GStreamer itself: one pipeline run twice, back to back.

  native  gst-launch-1.0 videotestsrc is-live=true ! 1080p30 I420 ! jpegenc quality=85 ! fpsdisplaysink (fakesink)
  JVM     the same source into a gstreamer: consumer (appsink, one copy of each frame into a byte[]) and a route that
          only counts frames (GstreamerOverheadMain in camel-gstreamer's test classes), with routes/jvm.options

After a warm-up, CPU time (/proc/PID/stat utime+stime) is sampled over the window; peak RSS is VmHWM at its end. The
machine's load average is printed before each run, because both runs share the CPU with whatever else runs.

    mvn -B -pl camel-gstreamer -am test-compile -DskipTests   # once
    python3 scripts/bench_gstreamer.py [--seconds 30] [--warmup 5] [--width 1920 --height 1080 --fps 30]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = os.path.join(ROOT, "camel-gstreamer")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime stime


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class FrameCounter(threading.Thread):
    """Keeps the last frame count a process printed: fpsdisplaysink's 'rendered: N', our 'frames=N'."""

    PATTERN = re.compile(r"(?:rendered: |frames=)(\d+)")

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.frames = 0
        self.dropped = None

    def run(self):
        for line in self.stream:
            match = self.PATTERN.search(line)
            if match:
                self.frames = int(match.group(1))
            dropped = re.search(r"dropped[=:] ?(\d+)", line)
            if dropped:
                self.dropped = int(dropped.group(1))


def measure(name, command, warmup, seconds):
    load = os.getloadavg()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tempfile.mkdtemp())
    counter = FrameCounter(proc.stdout)
    counter.start()
    try:
        time.sleep(warmup)
        frames0, cpu0, t0 = counter.frames, cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        frames1, cpu1, t1 = counter.frames, cpu_seconds(proc.pid), time.monotonic()
        hwm = vm_hwm_kb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    wall = t1 - t0
    frames = frames1 - frames0
    cpu = 100 * (cpu1 - cpu0) / wall
    return dict(name=name, load=load[0], frames=frames, fps=frames / wall, cpu=cpu, rss_mb=hwm / 1024,
                cpu_ms_per_frame=1000 * (cpu1 - cpu0) / max(1, frames), dropped=counter.dropped)


def classpath():
    out = os.path.join(tempfile.mkdtemp(), "cp.txt")
    subprocess.run(["mvn", "-q", "-o", "-f", os.path.join(ROOT, "pom.xml"), "-pl", "camel-gstreamer",
                    "dependency:build-classpath", "-Dmdep.includeScope=test", f"-Dmdep.outputFile={out}"], check=True)
    with open(out) as f:
        deps = f.read().strip()
    return os.pathsep.join([os.path.join(MODULE, "target/test-classes"), os.path.join(MODULE, "target/classes"), deps])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=int, default=30)
    args = parser.parse_args()

    source = (f"videotestsrc is-live=true ! video/x-raw,format=I420,width={args.width},height={args.height},"
              f"framerate={args.fps}/1 ! jpegenc quality=85")
    native = ["gst-launch-1.0", "-v", *source.split(), "!", "fpsdisplaysink", "text-overlay=false", "sync=false",
              "video-sink=fakesink sync=false"]
    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    ours = ["java", *jvm_options, "-cp", classpath(), "dev.mjpegrtp.camel.gstreamer.GstreamerOverheadMain", source, "0"]

    rows = [measure("gst-launch-1.0 (native)", native, args.warmup, args.seconds),
            measure("gstreamer: consumer (JVM)", ours, args.warmup, args.seconds)]

    print(f"{args.seconds:.0f} s after {args.warmup:.0f} s warm-up, {args.width}x{args.height}@{args.fps} Q85 4:2:0; "
          f"JVM flags: {' '.join(jvm_options)}")
    print(f"{'':27} {'load1':>5} {'frames':>6} {'fps':>6} {'CPU %':>6} {'CPU ms/frame':>12} {'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['name']:27} {r['load']:5.2f} {r['frames']:6d} {r['fps']:6.2f} {r['cpu']:6.1f} "
              f"{r['cpu_ms_per_frame']:12.2f} {r['rss_mb']:11.1f}")
    base, jvm = rows
    print(f"{'ratio JVM / native':27} {'':5} {'':6} {jvm['fps'] / max(1e-9, base['fps']):6.2f} "
          f"{jvm['cpu'] / max(1e-9, base['cpu']):6.2f} {jvm['cpu_ms_per_frame'] / max(1e-9, base['cpu_ms_per_frame']):12.2f} "
          f"{jvm['rss_mb'] / max(1e-9, base['rss_mb']):11.2f}")
    print(f"JVM overhead per frame: {jvm['cpu_ms_per_frame'] - base['cpu_ms_per_frame']:.2f} ms CPU; "
          f"frames the appsink dropped in the whole JVM run: {jvm['dropped']}")


if __name__ == "__main__":
    sys.exit(main())
