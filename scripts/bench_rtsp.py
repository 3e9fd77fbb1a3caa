#!/usr/bin/env python3
"""RTSP fan-out benchmark: one 1080p30 Q85 4:2:0 source to N UDP viewers, our demo's RTSP server beside GStreamer's.

For each N, the two servers run one after the other on the same port, each serving rtsp://127.0.0.1:PORT/demo:
  - GStreamer: gst-rtsp-server (this script with --gst-server) sharing one pipeline among all viewers:
    videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,width=1920,height=1080,framerate=30/1
    ! jpegenc quality=85 ! rtpjpegpay name=pay0 mtu=1400
  - ours: java @routes/jvm.options -jar routes/target/mjpeg-rtp.jar, the demo, whose GStreamer pipeline encodes the
    same frames. It also sends its plain RTP stream to demo.port, which this script drains: N + 1 streams against
    GStreamer's N; --rtsp-only runs the jar with the demo route minus that stream.
N viewers in this one process (OPTIONS, DESCRIBE, SETUP over UDP, PLAY, then select over their sockets) count
frames by RTP marker bit, lost packets by sequence gaps and missed frames by RTP timestamp gaps (3000 ticks a frame
at 30 fps): a frame every viewer missed was never sent (a source gap), one that only some missed was dropped. After
the warm-up, the server's CPU (utime + stime from /proc/PID/stat) is measured over the window; peak RSS is its VmHWM;
--threads prints its busiest threads. Needs python3-gi and gir1.2-gst-rtsp-server-1.0 (Debian; the system python3
is used for the GStreamer server), and the jar (mvn -B -DskipTests package). Not a test: CI does not run it.

    python3 scripts/bench_rtsp.py [--viewers 1,8,32] [--seconds 25] [--warmup 8] [--port 18554] [--rtsp-only]
                                  [--threads]
"""
import argparse
import os
import re
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS_PER_FRAME = 90000 // 30
SO_RCVBUFFORCE = 33  # Linux: as root, past net.core.rmem_max
# The demo route without its plain RTP stream: the same jar serving RTSP only (--rtsp-only).
RTSP_ONLY_ROUTE = """- route:
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
"""
GST_LAUNCH = ("( videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,width=1920,height=1080,"
              "framerate=30/1 ! jpegenc quality=85 ! rtpjpegpay name=pay0 mtu=1400 )")


def gst_server(port):
    """GStreamer's own RTSP server: one shared pipeline for every viewer of /demo."""
    import gi
    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(GST_LAUNCH)
    factory.set_shared(True)
    server.get_mount_points().add_factory("/demo", factory)
    server.attach(None)
    GLib.MainLoop().run()


class Viewer:
    """One RTSP session over UDP; counts what arrives on its RTP socket."""

    def __init__(self, url):
        self.url = url
        host, port = re.match(r"rtsp://([^:/]+):(\d+)/", url).groups()
        self.tcp = socket.create_connection((host, int(port)), timeout=15)
        self.cseq = 0
        self.rtp = self._udp(host, 0)
        rtp_port = self.rtp.getsockname()[1]
        self.rtcp = self._udp(host, 0)
        self.frames = self.packets = self.lost = self.missed = 0
        self.last_seq = self.last_ts = None
        headers, body = self.request("DESCRIBE", url, "Accept: application/sdp")
        base = headers.get("content-base", url if url.endswith("/") else url + "/")
        media_control = re.findall(r"^a=control:(\S+)", body.split("m=video", 1)[1], re.M)[0]
        track = media_control if media_control.startswith("rtsp://") else base + media_control
        headers, _ = self.request("SETUP", track, f"Transport: RTP/AVP;unicast;client_port={rtp_port}-"
                                                  f"{self.rtcp.getsockname()[1]}")
        self.session = headers["session"].split(";")[0]
        self.request("PLAY", base, f"Session: {self.session}", "Range: npt=0.000-")

    @staticmethod
    def _udp(host, port):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        sock.bind((host, port))
        sock.setblocking(False)
        return sock

    def request(self, method, url, *lines):
        self.cseq += 1
        text = f"{method} {url} RTSP/1.0\r\nCSeq: {self.cseq}\r\n" + "".join(l + "\r\n" for l in lines) + "\r\n"
        self.tcp.sendall(text.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.tcp.recv(65536)
            if not chunk:
                raise ConnectionError(f"{method}: connection closed")
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        length = int(headers.get("content-length", 0))
        while len(body) < length:
            body += self.tcp.recv(65536)
        if " 200 " not in lines[0] + " ":
            raise ConnectionError(f"{method} {url}: {lines[0]}")
        return headers, body.decode()

    def drain(self, buf):
        while True:
            try:
                n = self.rtp.recv_into(buf)
            except BlockingIOError:
                return
            marker_pt, seq, ts = struct.unpack_from("!xBHI", buf)
            if self.last_seq is not None and seq != (self.last_seq + 1) & 0xFFFF:
                self.lost += (seq - self.last_seq - 1) & 0xFFFF
            self.last_seq = seq
            self.packets += 1
            if marker_pt & 0x80:
                if self.last_ts is not None:
                    self.missed += max(0, round(((ts - self.last_ts) & 0xFFFFFFFF) / TICKS_PER_FRAME) - 1)
                self.last_ts = ts
                self.frames += 1

    def counts(self):
        return self.frames, self.packets, self.lost, self.missed

    def close(self):
        try:
            self.request("TEARDOWN", self.url, f"Session: {self.session}")
        except (OSError, ConnectionError, KeyError):
            pass
        for sock in (self.tcp, self.rtp, self.rtcp):
            sock.close()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime stime


def thread_cpu_seconds(pid):
    """CPU seconds per thread name (threads of one name summed), as [user, system]."""
    seconds = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except FileNotFoundError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        user, system = seconds.setdefault(name, [0, 0])
        seconds[name] = [user + int(fields[11]) / CLK_TCK, system + int(fields[12]) / CLK_TCK]
    return seconds


def udp_receive_buffer_errors():
    """Datagrams the kernel dropped, machine-wide, because a receiving socket's buffer was full."""
    with open("/proc/net/snmp") as f:
        udp = [line.split() for line in f if line.startswith("Udp:")]
    return int(udp[1][udp[0].index("RcvbufErrors")])


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def await_rtsp(url, proc, timeout=60):
    """Waits until OPTIONS answers 200. Not DESCRIBE: gst-rtsp-server would prepare the shared media for it and
    answer the next DESCRIBE 503 while it unprepares it again."""
    host, port = re.match(r"rtsp://([^:/]+):(\d+)/", url).groups()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((host, int(port)), timeout=5) as s:
                s.sendall(f"OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
                if b" 200 " in s.recv(65536):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def pump(viewers, extra, seconds, buf):
    """Receives for `seconds`: the viewers' RTP, their RTCP and any extra socket, drained and discarded."""
    by_fd = {v.rtp.fileno(): v for v in viewers}
    discard = [v.rtcp for v in viewers] + extra
    fds = list(by_fd) + [s.fileno() for s in discard]
    discard_by_fd = {s.fileno(): s for s in discard}
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        readable, _, _ = select.select(fds, [], [], min(left, 0.2))
        for fd in readable:
            viewer = by_fd.get(fd)
            if viewer is not None:
                viewer.drain(buf)
            else:
                try:
                    while True:
                        discard_by_fd[fd].recv_into(buf)
                except BlockingIOError:
                    pass


def measure(name, command, viewers_wanted, args, extra_ports=()):
    url = f"rtsp://127.0.0.1:{args.port}/demo"
    extra = [Viewer._udp("127.0.0.1", p) for p in extra_ports]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=tempfile.mkdtemp())
    viewers = []
    buf = bytearray(65536)
    try:
        await_rtsp(url, proc)
        for _ in range(viewers_wanted):
            viewers.append(Viewer(url))
            pump(viewers, extra, 0.05, buf)
        pump(viewers, extra, args.warmup, buf)
        before = [v.counts() for v in viewers]
        threads0 = thread_cpu_seconds(proc.pid)
        cpu0, own0, t0 = cpu_seconds(proc.pid), os.times(), time.monotonic()
        rcvbuf0 = udp_receive_buffer_errors()
        pump(viewers, extra, args.seconds, buf)
        after = [v.counts() for v in viewers]
        cpu1, own1, t1 = cpu_seconds(proc.pid), os.times(), time.monotonic()
        rcvbuf1 = udp_receive_buffer_errors()
        threads1 = thread_cpu_seconds(proc.pid)
        load = os.getloadavg()[0]
        hwm = vm_hwm_kb(proc.pid)
    finally:
        for v in viewers:
            v.close()
        for s in extra:
            s.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    wall = t1 - t0
    if args.threads:
        used = {t: [a - b for a, b in zip(threads1[t], threads0.get(t, [0, 0]))] for t in threads1}
        busiest = sorted(used, key=lambda t: -sum(used[t]))[:6]
        print(f"  {name}, N={viewers_wanted}, busiest threads, % of a core user+system: "
              + ", ".join(f"{t} {100 * used[t][0] / wall:.1f}+{100 * used[t][1] / wall:.1f}"
                          for t in busiest if sum(used[t]) > 0), flush=True)
    frames = [a[0] - b[0] for a, b in zip(after, before)]
    missed = [a[3] - b[3] for a, b in zip(after, before)]
    return dict(name=name, n=viewers_wanted, wall=wall, fps_min=min(frames) / wall, fps_max=max(frames) / wall,
                lost=sum(a[2] - b[2] for a, b in zip(after, before)),
                # frames no viewer got never left the source; what only some missed, the server or the network lost
                source_gaps=min(missed), dropped=sum(missed) - len(missed) * min(missed),
                rcvbuf_errors=rcvbuf1 - rcvbuf0,
                cpu=100 * (cpu1 - cpu0) / wall, fps_mean=sum(frames) / len(frames) / wall, rss=hwm / 1024, load=load,
                receiver_cpu=100 * (own1.user + own1.system - own0.user - own0.system) / wall)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=25)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--port", type=int, default=18554, help="RTSP port of both servers (one after the other)")
    parser.add_argument("--rtp-port", type=int, default=15004, help="where our demo sends its plain RTP stream")
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    parser.add_argument("--jvm-option", action="append", default=[], help="extra JVM option for our server")
    parser.add_argument("--rtsp-only", action="store_true",
                        help="run our jar with the demo route minus its plain RTP stream: RTSP only, as GStreamer")
    parser.add_argument("--threads", action="store_true", help="print the servers' busiest threads")
    parser.add_argument("--gst-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gst_server:
        return gst_server(args.gst_server)

    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    ours = ["java", *jvm_options, *args.jvm_option, f"-Ddemo.rtspPort={args.port}", f"-Ddemo.port={args.rtp_port}"]
    if args.rtsp_only:
        route = os.path.join(tempfile.mkdtemp(), "rtsp-only.yaml")
        with open(route, "w") as f:
            f.write(RTSP_ONLY_ROUTE)
        ours.append(f"-Dcamel.main.routesIncludePattern=file:{route}")
    ours += ["-jar", args.jar]
    # Debian's python3-gi lives in the system Python, which a pyenv or venv python3 does not see.
    system_python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    gst = [system_python, os.path.abspath(__file__), "--gst-server", str(args.port)]

    rows = []
    for n in (int(x) for x in args.viewers.split(",")):
        our_name = "mjpeg-rtp RTSP only" if args.rtsp_only else "mjpeg-rtp demo"
        for name, command, extra in (("gst-rtsp-server", gst, ()), (our_name, ours, (args.rtp_port,))):
            row = measure(name, command, n, args, extra)
            rows.append(row)
            print(f"N={n:2d} {name:19} CPU {row['cpu']:5.1f} %  RSS {row['rss']:6.1f} MB  fps/viewer "
                  f"{row['fps_min']:.2f}-{row['fps_max']:.2f}  source gaps {row['source_gaps']}  dropped "
                  f"{row['dropped']}  lost pkts {row['lost']} (rcvbuf errors {row['rcvbuf_errors']})  "
                  f"load {row['load']:.2f}", flush=True)

    print(f"\n{args.seconds:.0f} s window after {args.warmup:.0f} s warm-up; 1080p30 Q85 4:2:0, MTU 1400, UDP viewers "
          f"on 127.0.0.1; CPU in % of one core")
    print("source gaps: frames missing at every viewer (sent to none: the source skipped them); dropped: frames "
          "missing at some viewers only, summed; lost pkts: sequence gaps, summed; rcvbuf: datagrams the receiving "
          "kernel dropped, machine-wide")
    print(f"{'N':>3} {'server':19} {'CPU %':>6} {'peak RSS MB':>11} {'fps/viewer min-max':>19} {'source gaps':>11} "
          f"{'dropped':>7} {'lost pkts':>9} {'rcvbuf':>6} {'load 1m':>7} {'receiver CPU %':>14} {'CPU % at 30 fps':>15}")
    for r in rows:
        print(f"{r['n']:>3} {r['name']:19} {r['cpu']:6.1f} {r['rss']:11.1f} {r['fps_min']:9.2f}-{r['fps_max']:<9.2f} "
              f"{r['source_gaps']:11d} {r['dropped']:7d} {r['lost']:9d} {r['rcvbuf_errors']:6d} {r['load']:7.2f} "
              f"{r['receiver_cpu']:14.1f} {r['cpu'] * 30 / max(r['fps_mean'], 1e-9):15.1f}")
    for gst_row, our_row in zip(rows[::2], rows[1::2]):
        per_frame = ((our_row['cpu'] / max(our_row['fps_mean'], 1e-9))
                     / max(gst_row['cpu'] / max(gst_row['fps_mean'], 1e-9), 1e-9))
        print(f"{gst_row['n']:>3} ours / GStreamer: CPU {our_row['cpu'] / max(gst_row['cpu'], 1e-9):.2f} "
              f"(at 30 fps {per_frame:.2f}), peak RSS {our_row['rss'] / max(gst_row['rss'], 1e-9):.2f}")


if __name__ == "__main__":
    sys.exit(main())
