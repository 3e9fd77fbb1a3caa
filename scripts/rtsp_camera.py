#!/usr/bin/python3
"""An IP camera on this machine: GStreamer's RTSP server (gst-rtsp-server) serving one pipeline, shared by all its
viewers, at rtsp://127.0.0.1:PORT/PATH. The pipeline ends in an RTP payloader named pay0, as gst-rtsp-server expects.
Prints "serving rtsp://..." once it listens, then serves until it is stopped.

With --jpegs, the camera sends those JPEG files as they are, in turn and round again, --fps a second: the pipeline
starts with "appsrc name=jpegs", which the files are pushed into, live (stamped as they are pushed), so that the
camera sends exactly the bytes of files a test made, at a camera's pace.

Needs Debian's python3-gi and gir1.2-gst-rtsp-server-1.0, hence /usr/bin/python3 (a pyenv or venv python3 does not
see them). CameraGatewayTest runs it; by hand, a 4:2:2 camera for routes/examples/camera-gateway.yaml:

    /usr/bin/python3 scripts/rtsp_camera.py 8654 camera \\
        "videotestsrc is-live=true pattern=ball ! video/x-raw,format=Y42B,width=1280,height=720,framerate=30/1
         ! jpegenc ! rtpjpegpay name=pay0"
    /usr/bin/python3 scripts/rtsp_camera.py 8654 camera "appsrc name=jpegs ! jpegparse ! rtpjpegpay name=pay0" \\
        --fps 5 --jpegs a.jpg b.jpg
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402 (after require_version, as gi needs)


def feed_jpegs(media, jpegs, fps):
    """Pushes the JPEGs into the media's appsrc named jpegs, one every 1/fps s, until the media is unprepared."""
    source = media.get_element().get_by_name("jpegs")
    if source is None:
        sys.exit('--jpegs needs a pipeline starting with "appsrc name=jpegs"')
    source.set_property("is-live", True)
    source.set_property("do-timestamp", True)
    source.set_property("format", Gst.Format.TIME)
    source.set_property("caps", Gst.Caps.from_string(f"image/jpeg,framerate={fps}/1"))
    sent = [0]

    def push():
        # Refused (flushing) until the media plays: the camera's frames of that moment are lost, as a live one's are.
        source.emit("push-buffer", Gst.Buffer.new_wrapped(jpegs[sent[0] % len(jpegs)]))
        sent[0] += 1
        return True

    timer = GLib.timeout_add(1000 // fps, push)
    media.connect("unprepared", lambda _media: GLib.source_remove(timer))


def main():
    parser = argparse.ArgumentParser(description="GStreamer's RTSP server as a stand-in IP camera")
    parser.add_argument("port")
    parser.add_argument("path")
    parser.add_argument("launch", help="the pipeline, in gst-launch-1.0 syntax, ending in ... ! rtpjpegpay name=pay0")
    parser.add_argument("--jpegs", nargs="+", metavar="FILE", help="JPEG files pushed into appsrc name=jpegs")
    parser.add_argument("--fps", type=int, default=10, help="frames a second of --jpegs (default 10)")
    args = parser.parse_args()
    jpegs = []
    for name in args.jpegs or []:
        with open(name, "rb") as f:
            jpegs.append(f.read())

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(args.port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch("( " + args.launch + " )")
    factory.set_shared(True)
    if jpegs:
        factory.connect("media-configure", lambda _factory, media: feed_jpegs(media, jpegs, args.fps))
    server.get_mount_points().add_factory("/" + args.path.strip("/"), factory)
    if server.attach(None) == 0:
        sys.exit(f"cannot listen on 127.0.0.1:{args.port}")
    print(f"serving rtsp://127.0.0.1:{args.port}/{args.path.strip('/')}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
