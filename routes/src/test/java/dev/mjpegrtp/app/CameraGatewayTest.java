package dev.mjpegrtp.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.LocalPorts;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/examples/camera-gateway.yaml as a user runs it, against two real cameras:
 * <ul>
 *   <li>over RTSP, GStreamer's RTSP server ({@code scripts/rtsp_camera.py}, rtpjpegpay) sending two 2560x1440 4:2:2
 *   JPEGs in turn, jpegenc's and one with a restart marker every MCU row: larger than RFC 2435's header can say;</li>
 *   <li>over HTTP, our own http-mjpeg: ({@code http-camera.yaml}) serving four 640x360 JPEGs in turn, none of which
 *   RFC 2435 carries as it is: three 4:2:2 ones, with optimized Huffman tables, restart markers and 4:2:2 coded as
 *   Y 2x2 + Cb/Cr 1x2, progressive, and optimized with restart markers every second row; and a 4:4:4 one, which it
 *   cannot carry at all.</li>
 * </ul>
 * A viewer of each of the gateway's four streams, over RTSP (GStreamer for the 2560x1440 one, which FFmpeg cannot
 * receive; FFmpeg for the other) and over HTTP (FFmpeg's mpjpeg demuxer), decodes every frame to exactly the pixels
 * the same decoder gets from one of the camera's JPEGs: the gateway loses nothing, and re-encodes the HTTP camera's
 * frames for RTSP. The 4:4:4 frame goes to HTTP viewers as it came and is skipped over RTSP, and the stream goes on.
 */
class CameraGatewayTest {

    private static final int BIG_WIDTH = 2560;
    private static final int BIG_HEIGHT = 1440;
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    /** Frames each viewer decodes: the RTSP camera sends 5 a second, the HTTP camera one every 100 ms or so. */
    private static final int RTSP_CAMERA_FRAMES = 4;
    private static final int HTTP_CAMERA_FRAMES = 9;
    private static final Duration VIEWER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void viewersOfTheGatewayDecodeTheCamerasPixels() throws Exception {
        Path rtspCameraFrames = Files.createDirectories(dir.resolve("rtsp-camera"));
        List<Path> rtspCameraJpegs = List.of(
                TestImages.gstJpeg(rtspCameraFrames, "frame-0", "smpte", "Y42B", BIG_WIDTH, BIG_HEIGHT, 85),
                TestImages.cjpeg(rtspCameraFrames, "frame-1", BIG_WIDTH, BIG_HEIGHT, "-quality", "75",
                        "-sample", "2x1", "-restart", "1"));
        Path httpCameraFrames = Files.createDirectories(dir.resolve("http-camera"));
        List<Path> httpCameraJpegs = List.of(
                TestImages.cjpeg(httpCameraFrames, "frame-0", WIDTH, HEIGHT, "-quality", "80", "-optimize",
                        "-sample", "2x2,1x2,1x2", "-restart", "1"),
                TestImages.cjpeg(httpCameraFrames, "frame-1", WIDTH, HEIGHT, "-quality", "90", "-progressive",
                        "-sample", "2x1"),
                TestImages.cjpeg(httpCameraFrames, "frame-2", WIDTH, HEIGHT, "-quality", "70", "-optimize",
                        "-sample", "2x1", "-restart", "2"),
                TestImages.cjpeg(httpCameraFrames, "frame-3", WIDTH, HEIGHT, "-quality", "85", "-sample", "1x1"));
        int httpCamera444 = 3; // frame-3

        int rtspCameraPort = LocalPorts.freeTcpPort();
        int httpCameraPort = LocalPorts.freeTcpPort();
        int rtspPort = LocalPorts.freeTcpPort();
        int httpPort = LocalPorts.freeTcpPort();
        Path examples = Path.of("examples").toAbsolutePath();
        String rtsp = "rtsp://127.0.0.1:" + rtspPort + "/";
        String http = "http://127.0.0.1:" + httpPort + "/";
        Path rtspCameraOverRtsp = Files.createDirectories(dir.resolve("rtsp-camera-over-rtsp"));
        Path httpCameraOverRtsp = dir.resolve("http-camera-over-rtsp.yuv");
        Path rtspCameraOverHttp = dir.resolve("rtsp-camera-over-http.yuv");
        Path httpCameraOverHttp = dir.resolve("http-camera-over-http.yuv");

        try (ExternalTools.Peer rtspCamera = ExternalTools.start(dir.resolve("rtsp-camera.log"),
                ExternalTools.SYSTEM_PYTHON, Path.of("..", "scripts", "rtsp_camera.py").toAbsolutePath().toString(),
                String.valueOf(rtspCameraPort), "camera", "appsrc name=jpegs ! jpegparse ! rtpjpegpay name=pay0",
                "--fps", "5", "--jpegs", rtspCameraJpegs.get(0).toString(), rtspCameraJpegs.get(1).toString())) {
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> !rtspCamera.isAlive() || rtspCamera.output().contains("serving rtsp://"));
            assertThat(rtspCamera.isAlive()).as("the RTSP camera:\n" + rtspCamera.output()).isTrue();
            try (RunningApp app = new RunningApp(Map.of(
                    "camel.main.routesIncludePattern", "classpath:http-camera.yaml,file:"
                            + examples.resolve("camera-gateway.yaml"),
                    "gateway.rtspCamera", "rtsp://127.0.0.1:" + rtspCameraPort + "/camera",
                    "gateway.httpCamera", "http://127.0.0.1:" + httpCameraPort + "/camera.mjpeg",
                    "gateway.rtspPort", String.valueOf(rtspPort),
                    "gateway.httpPort", String.valueOf(httpPort),
                    "camera.httpPort", String.valueOf(httpCameraPort),
                    "camera.folder", httpCameraFrames.toString()));
                 ExternalTools.Peer rtspCameraRtspViewer = RtspViewers.gstDecoding(dir.resolve("gst-rtsp.log"),
                         rtsp + "rtsp-camera", "tcp", rtspCameraOverRtsp);
                 ExternalTools.Peer httpCameraRtspViewer = ffmpegDecoding(dir.resolve("ffmpeg-rtsp.log"),
                         List.of("-rtsp_transport", "tcp", "-i", rtsp + "http-camera"), HTTP_CAMERA_FRAMES,
                         httpCameraOverRtsp);
                 ExternalTools.Peer rtspCameraHttpViewer = ffmpegDecoding(dir.resolve("ffmpeg-http-rtsp.log"),
                         List.of("-f", "mpjpeg", "-i", http + "rtsp-camera.mjpeg"), RTSP_CAMERA_FRAMES,
                         rtspCameraOverHttp);
                 ExternalTools.Peer httpCameraHttpViewer = ffmpegDecoding(dir.resolve("ffmpeg-http-http.log"),
                         List.of("-f", "mpjpeg", "-i", http + "http-camera.mjpeg"), HTTP_CAMERA_FRAMES,
                         httpCameraOverHttp)) {
                List<byte[]> rtspCameraRtspFrames = RtspViewers.awaitDecodedFrames(rtspCameraRtspViewer,
                        rtspCameraOverRtsp, RTSP_CAMERA_FRAMES, BIG_WIDTH * BIG_HEIGHT * 3 / 2, VIEWER_TIMEOUT);
                httpCameraRtspViewer.awaitExit(VIEWER_TIMEOUT);
                rtspCameraHttpViewer.awaitExit(VIEWER_TIMEOUT);
                httpCameraHttpViewer.awaitExit(VIEWER_TIMEOUT);

                JpegToRfc2435Processor processor = app.context().getRegistry()
                        .lookupByNameAndType("jpegToRfc2435", JpegToRfc2435Processor.class);
                assertThat(processor.getFramesTranscoded()).as("HTTP camera frames re-encoded for RTSP").isPositive();
                assertThat(processor.getFramesRejected()).as("4:4:4 frames skipped over RTSP").isPositive();

                List<byte[]> rtspCameraGst = decodeEach(rtspCameraJpegs, TestImages::gstDecodeI420);
                List<byte[]> rtspCameraFfmpeg = decodeEach(rtspCameraJpegs, TestImages::ffmpegDecodeI420);
                List<byte[]> httpCameraFfmpeg = decodeEach(httpCameraJpegs, TestImages::ffmpegDecodeI420);
                List<byte[]> httpCameraFfmpegBut444 = new ArrayList<>(httpCameraFfmpeg);
                httpCameraFfmpegBut444.remove(httpCamera444);
                assertEachFrameIsACameraFrame(rtspCameraRtspFrames, rtspCameraGst, "RTSP viewer of rtsp-camera");
                assertEachFrameIsACameraFrame(split(rtspCameraOverHttp, RTSP_CAMERA_FRAMES, BIG_WIDTH, BIG_HEIGHT),
                        rtspCameraFfmpeg, "HTTP viewer of rtsp-camera");
                assertEachFrameIsACameraFrame(split(httpCameraOverRtsp, HTTP_CAMERA_FRAMES, WIDTH, HEIGHT),
                        httpCameraFfmpegBut444, "RTSP viewer of http-camera");
                assertThat(assertEachFrameIsACameraFrame(split(httpCameraOverHttp, HTTP_CAMERA_FRAMES, WIDTH, HEIGHT),
                        httpCameraFfmpeg, "HTTP viewer of http-camera"))
                        .as("HTTP viewer of http-camera: the camera frames its frames are").contains(httpCamera444);
            }
        }
    }

    /**
     * FFmpeg decoding the first {@code frames} frames of {@code input} (over RTSP as ffplay opens an rtsp:// URL, over
     * HTTP with its mpjpeg demuxer as ffplay opens an .mjpeg URL) to yuv420p in {@code out}: each frame once, as it
     * came, not repeated or dropped to make a constant frame rate.
     */
    private static ExternalTools.Peer ffmpegDecoding(Path log, List<String> input, int frames, Path out) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(input);
        command.addAll(List.of("-frames:v", String.valueOf(frames), "-fps_mode", "passthrough", "-f", "rawvideo",
                "-pix_fmt", "yuv420p", out.toString()));
        return ExternalTools.start(log, command.toArray(String[]::new));
    }

    /**
     * Each frame is identical to one of the camera's, and the frames are not all the same one: the picture moves.
     * A frame that matches none is compared with the camera's first, so that the failure says where it differs.
     * Returns the indexes of the camera's frames seen.
     */
    private static Set<Integer> assertEachFrameIsACameraFrame(List<byte[]> frames, List<byte[]> camera, String viewer) {
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < frames.size(); i++) {
            int match = indexOf(camera, frames.get(i));
            if (match < 0) {
                Pixels.assertIdentical(frames.get(i), camera.get(0), viewer + ": frame " + i
                        + " is none of the camera's; against its first");
            }
            seen.add(match);
        }
        assertThat(seen).as(viewer + ": the camera frames its frames are").hasSizeGreaterThan(1);
        return seen;
    }

    private static int indexOf(List<byte[]> frames, byte[] frame) {
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), frame)) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code count} yuv420p frames a viewer wrote to one file. */
    private static List<byte[]> split(Path yuv, int count, int width, int height) throws IOException {
        byte[] all = Files.readAllBytes(yuv);
        int size = width * height * 3 / 2;
        assertThat(all.length).as(yuv.getFileName() + ": " + count + " frames of " + width + "x" + height)
                .isEqualTo(count * size);
        List<byte[]> frames = new ArrayList<>();
        for (int offset = 0; offset < all.length; offset += size) {
            frames.add(Arrays.copyOfRange(all, offset, offset + size));
        }
        return frames;
    }

    private static List<byte[]> decodeEach(List<Path> jpegs, Decoder decoder) throws IOException {
        List<byte[]> decoded = new ArrayList<>();
        for (Path jpeg : jpegs) {
            decoded.add(decoder.decode(jpeg));
        }
        return decoded;
    }

    @FunctionalInterface
    private interface Decoder {
        byte[] decode(Path jpeg) throws IOException;
    }
}
