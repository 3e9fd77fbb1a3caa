package dev.mjpegrtp.camel.gstreamer;

import java.nio.file.Path;
import java.time.Duration;

import dev.mjpegrtp.testing.ExternalTools;

/** FFmpeg's ffprobe reading back what a producer recorded: an independent reader of the file. */
final class Ffprobe {

    private Ffprobe() {
    }

    /**
     * The first video stream's {@code fields} (e.g. {@code codec_name,width,height,nb_read_frames}) as one CSV line,
     * with every frame decoded and counted.
     */
    static String videoStream(Path file, String fields) {
        return ExternalTools.output(Duration.ofSeconds(30), "ffprobe", "-v", "error", "-count_frames",
                "-select_streams", "v:0", "-show_entries", "stream=" + fields, "-of", "csv=p=0", file.toString()).strip();
    }
}
