#!/usr/bin/env python3
"""Many browser-like viewers of one 1080p30 stream: http-mjpeg: against rtsp-mjpeg: over TCP, from the app jar.

The jar runs one route instead of its demo (camel.main.routesIncludePattern, JVM flags of routes/jvm.options):

    gstreamer: (videotestsrc is-live=true pattern=smpte, 1920x1080 I420 30/1, jpegenc quality=85)
      -> http-mjpeg:127.0.0.1:HTTP_PORT/live -> jpegToRfc2435 -> rtsp-mjpeg:127.0.0.1:RTSP_PORT/live

For each transport, a fresh JVM with that route gets N viewers of that transport (the other one idle), plus one
stalled viewer that connects, asks for the stream and never reads: an http viewer GETs /live.mjpeg and reads the
multipart parts (each says its Content-Length), as a browser's <img> does; an rtsp viewer sends DESCRIBE, SETUP with
RTP/AVP/TCP interleaved and PLAY, and reads the interleaved RTP packets off its RTSP connection, a frame per marker
bit. Neither decodes: whole frames are counted, so that the viewers (in --processes processes, each a selector over
its share) cost far less than the server. The server may drop the stalled viewer (viewerTimeout, 10 s by default):
the script reports whether it did by the end.

After the warm-up, the server's CPU (utime + stime of /proc/PID/stat) is measured over the window and its peak RSS is
VmHWM; per viewer, frames over the window give its fps (min / median / max printed), and the server's CPU per frame
the median viewer got is printed beside its CPU %, a figure that holds when a loaded machine slows the source.
--viewers 0,32 adds a run with no viewer (the route's own cost: encoding, copying and parsing the frames). Not a
test: CI does not run it.

    python3 scripts/bench_viewers.py [--viewers 32] [--transports http,rtsp] [--seconds 20] [--warmup 8]
                                     [--processes 4] [--jar /abs/path/routes/target/mjpeg-rtp.jar]
"""
import argparse
import multiprocessing
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_demo import ROOT, cpu_seconds, vm_hwm_kb  # noqa: E402

ROUTE = """- route:
    id: live
    from:
      uri: gstreamer:live
      parameters:
        pipeline: "videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,width=1920,height=1080,framerate=30/1 ! jpegenc quality=85"
      steps:
        - to:
            uri: "http-mjpeg:127.0.0.1:{http_port}/live"
            parameters:
              maxViewers: {max_viewers}
        - process:
            ref: jpegToRfc2435
        - to:
            uri: "rtsp-mjpeg:127.0.0.1:{rtsp_port}/live"
            parameters:
              maxViewers: {max_viewers}
"""


class HttpViewer:
    """GET PATH.mjpeg; counts the multipart parts whole, skipping each JPEG by its Content-Length."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.sock.sendall(f"GET /live.mjpeg HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.head = b""
        self.skip = 0
        self.frames = 0
        self.seen_response = False

    def feed(self, data):
        view = memoryview(data)
        while view:
            if self.skip:
                n = min(self.skip, len(view))
                self.skip -= n
                view = view[n:]
                if not self.skip:
                    self.frames += 1
                continue
            self.head += bytes(view)
            view = memoryview(b"")
            if not self.seen_response:
                end = self.head.find(b"\r\n\r\n")
                if end < 0:
                    return
                status = self.head.split(b"\r\n", 1)[0]
                if b" 200 " not in status:
                    raise ConnectionError(f"http viewer: {status.decode(errors='replace')}")
                self.seen_response = True
                self.head = self.head[end + 4:]
            length_at = self.head.find(b"Content-Length:")
            end = self.head.find(b"\r\n\r\n", length_at) if length_at >= 0 else -1
            if end < 0:
                return
            self.skip = int(self.head[length_at + 15:self.head.index(b"\r\n", length_at)])
            view = memoryview(self.head[end + 4:])
            self.head = b""


class RtspTcpViewer:
    """DESCRIBE, SETUP over RTP/AVP/TCP interleaved, PLAY; counts RTP frames (marker bit) on the RTSP connection."""

    def __init__(self, port):
        self.url = f"rtsp://127.0.0.1:{port}/live"
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.cseq = 0
        self.pending = b""
        headers, body = self.request("DESCRIBE", self.url, "Accept: application/sdp")
        base = headers.get("content-base", self.url + "/")
        control = re.findall(r"^a=control:(\S+)", body.split("m=video", 1)[1], re.M)[0]
        track = control if control.startswith("rtsp://") else base + control
        headers, _ = self.request("SETUP", track, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")
        session = headers["session"].split(";")[0]
        self.request("PLAY", base, f"Session: {session}", "Range: npt=0.000-")
        self.buf = bytearray(self.pending)
        self.frames = 0

    def request(self, method, url, *lines):
        self.cseq += 1
        text = f"{method} {url} RTSP/1.0\r\nCSeq: {self.cseq}\r\n" + "".join(l + "\r\n" for l in lines) + "\r\n"
        self.sock.sendall(text.encode())
        data = self.pending
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"{method}: connection closed")
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        length = int(headers.get("content-length", 0))
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.pending = rest[length:]  # after PLAY, the first interleaved packets may follow at once
        if " 200 " not in lines[0] + " ":
            raise ConnectionError(f"{method} {url}: {lines[0]}")
        return headers, rest[:length].decode()

    def feed(self, data):
        buf = self.buf
        buf += data
        i, n = 0, len(buf)
        while n - i >= 4:
            if buf[i] != 0x24:  # an RTSP message from the server (none expected while playing): skip it
                end = buf.find(b"\r\n\r\n", i)
                if end < 0:
                    break
                i = end + 4
                continue
            length = (buf[i + 2] << 8) | buf[i + 3]
            if n - i < 4 + length:
                break
            if buf[i + 1] == 0 and length > 1 and buf[i + 5] & 0x80:
                self.frames += 1
            i += 4 + length
        del buf[:i]


class StalledViewer:
    """Asks for the stream and never reads; at the end, whether the server closed the connection."""

    def __init__(self, transport, port):
        if transport == "http":
            self.viewer = HttpViewer(port)
        else:
            self.viewer = RtspTcpViewer(port)
        self.sock = self.viewer.sock
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)

    def dropped(self):
        """Reads what is queued: the end of the stream or a reset mean the server closed it."""
        self.sock.setblocking(False)
        try:
            while True:
                if not self.sock.recv(1 << 20):
                    return True
        except BlockingIOError:
            return False
        except OSError:
            return True


def viewer_process(transport, port, count, conn):
    """Connects COUNT viewers and reads them until told to stop; answers each "counts" with their frame counts."""
    viewers = [HttpViewer(port) if transport == "http" else RtspTcpViewer(port) for _ in range(count)]
    selector = selectors.DefaultSelector()
    for viewer in viewers:
        viewer.sock.setblocking(False)
        if transport == "rtsp" and viewer.buf:
            pending, viewer.buf = bytes(viewer.buf), bytearray()
            viewer.feed(pending)
        selector.register(viewer.sock, selectors.EVENT_READ, viewer)
    selector.register(conn, selectors.EVENT_READ, None)
    conn.send("connected")
    closed = 0
    while True:
        for key, _ in selector.select(1.0):
            viewer = key.data
            if viewer is None:
                command = conn.recv()
                if command == "stop":
                    conn.send([v.frames for v in viewers] + [closed])
                    return
                conn.send([v.frames for v in viewers])
                continue
            try:
                data = viewer.sock.recv(1 << 18)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                selector.unregister(viewer.sock)
                closed += 1
                continue
            viewer.feed(data)


def await_port(port, proc, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"port {port} did not open in {timeout} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(jar, transport, viewers, processes, warmup, seconds):
    work = tempfile.mkdtemp()
    http_port, rtsp_port = free_port(), free_port()
    with open(os.path.join(work, "live.yaml"), "w") as f:
        f.write(ROUTE.format(http_port=http_port, rtsp_port=rtsp_port, max_viewers=viewers + 8))
    with open(os.path.join(ROOT, "routes/jvm.options")) as f:
        jvm_options = [line.strip() for line in f if line.strip()]
    limit = viewers + 8  # every viewer comes from 127.0.0.1
    command = ["java", *jvm_options, f"-Dcamel.main.routesIncludePattern=file:{work}/live.yaml",
               f"-Dcamel.component.http-mjpeg.maxConnectionsPerAddress={limit}",
               f"-Dcamel.component.rtsp-mjpeg.maxConnectionsPerAddress={limit}",
               f"-Dcamel.component.rtsp-mjpeg.maxSessionsPerAddress={limit}", "-jar", jar]
    log = open(os.path.join(work, "app.log"), "w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    port = http_port if transport == "http" else rtsp_port
    workers, stalled = [], None
    try:
        await_port(port, proc)
        time.sleep(2)  # the first frames
        shares = [viewers // processes + (1 if i < viewers % processes else 0) for i in range(processes)]
        for share in (s for s in shares if s):
            parent, child = multiprocessing.Pipe()
            worker = multiprocessing.Process(target=viewer_process, args=(transport, port, share, child), daemon=True)
            worker.start()
            workers.append((worker, parent))
        for _, conn in workers:
            if not conn.poll(60):
                raise RuntimeError("viewers did not connect")
            conn.recv()
        if viewers:
            stalled = StalledViewer(transport, port)
        time.sleep(warmup)

        def counts():
            for _, conn in workers:
                conn.send("counts")
            return [n for _, conn in workers for n in conn.recv()]

        frames0, cpu0, t0 = counts(), cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        frames1, cpu1, t1 = counts(), cpu_seconds(proc.pid), time.monotonic()
        hwm = vm_hwm_kb(proc.pid)
        dropped = stalled.dropped() if stalled else None
        closed = 0
        for worker, conn in workers:
            conn.send("stop")
            closed += conn.recv()[-1]
            worker.join(10)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for worker, _ in workers:
            if worker.is_alive():
                worker.kill()
        log.close()
    wall = t1 - t0
    fps = sorted((b - a) / wall for a, b in zip(frames0, frames1))
    return dict(fps=fps, cpu=100 * (cpu1 - cpu0) / wall, rss_mb=hwm / 1024, dropped=dropped, closed=closed,
                log=os.path.join(work, "app.log"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", default="32", help="comma-separated counts; 0: the route with no viewer")
    parser.add_argument("--transports", default="http,rtsp")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--processes", type=int, default=4, help="viewer processes")
    parser.add_argument("--jar", default=os.path.join(ROOT, "routes/target/mjpeg-rtp.jar"))
    args = parser.parse_args()
    jar = os.path.abspath(args.jar)  # the app runs in a directory of its own

    print(f"1080p30 Q85, {args.seconds:.0f} s after {args.warmup:.0f} s warm-up, viewers in {args.processes} processes, "
          f"plus one stalled viewer; load average before {os.getloadavg()[0]:.2f}")
    print(f"{'transport':>9} {'viewers':>7} {'fps min':>8} {'median':>7} {'max':>7} {'CPU %':>6} {'ms/frame':>8} {'peak RSS MB':>11} "
          f"{'stalled dropped':>15} {'others closed':>13} {'load':>5}")
    for n in (int(v) for v in args.viewers.split(",")):
        for transport in args.transports.split(","):
            r = run(jar, transport, n, args.processes, args.warmup, args.seconds)
            fps = r["fps"] or [0.0]
            stalled = "-" if r["dropped"] is None else ("yes" if r["dropped"] else "no")
            per_frame = f"{10 * r['cpu'] / statistics.median(fps):8.2f}" if fps[-1] else f"{'-':>8}"
            print(f"{transport:>9} {n:7d} {fps[0]:8.2f} {statistics.median(fps):7.2f} {fps[-1]:7.2f} {r['cpu']:6.1f} {per_frame} "
                  f"{r['rss_mb']:11.1f} {stalled:>15} {r['closed']:13d} {os.getloadavg()[0]:5.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
