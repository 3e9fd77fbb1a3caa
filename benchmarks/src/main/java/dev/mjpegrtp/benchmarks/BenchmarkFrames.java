package dev.mjpegrtp.benchmarks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The frames every benchmark measures: one deterministic 1920x1080 picture with the detail of a camera image
 * (gradients, edges, texture and sensor-like noise), JPEG-encoded by the JDK with RFC 2435 Appendix A's Q 85 tables
 * (libjpeg's and jpegenc's quality 85), 4:2:0, in the variants a sender meets. {@link #main} writes them as files, so
 * that GStreamer's payloader can be timed on the same bytes.
 */
public final class BenchmarkFrames {

    public static final int WIDTH = 1920;
    public static final int HEIGHT = 1080;
    /** IJG quality 85, whose tables are RFC 2435 Appendix A's Q 85. */
    public static final int QUALITY = 85;

    private BenchmarkFrames() {
    }

    /** Baseline, Annex K Huffman tables: the zero-copy path. */
    public static byte[] baseline() {
        return encode(param -> { }, null);
    }

    /** Huffman tables optimized for the image, as cjpeg -optimize and FFmpeg write by default: needs transcoding. */
    public static byte[] optimizedHuffman() {
        return encode(param -> ((JPEGImageWriteParam) param).setOptimizeHuffmanTables(true), null);
    }

    /** Progressive (libjpeg's default scan script): needs transcoding. */
    public static byte[] progressive() {
        return encode(param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT), null);
    }

    /** Baseline with a restart marker after every {@code interval} MCUs: restart-aligned packets. */
    public static byte[] restartMarkers(int interval) {
        return encode(param -> { }, interval);
    }

    /** Writes the variants into {@code args[0]} as {@code baseline.jpg}, {@code optimized.jpg}, ... */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "."));
        Files.write(dir.resolve("baseline.jpg"), baseline());
        Files.write(dir.resolve("optimized.jpg"), optimizedHuffman());
        Files.write(dir.resolve("progressive.jpg"), progressive());
        Files.write(dir.resolve("restart.jpg"), restartMarkers(BenchmarkFrames.WIDTH / 16));
        System.out.println("Wrote 1920x1080 quality 85 frames to " + dir.toAbsolutePath());
    }

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(2435);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double dx = x - WIDTH * 0.4;
                double dy = y - HEIGHT * 0.55;
                boolean disc = dx * dx + dy * dy < 300 * 300;
                int texture = (int) (24 * Math.sin(x * 0.21) * Math.cos(y * 0.13));
                int r = x * 200 / WIDTH + (disc ? 40 : 0) + texture;
                int g = y * 180 / HEIGHT + ((x / 64 + y / 64) % 2) * 30 - texture;
                int b = 90 + (int) (60 * Math.sin((x + y) * 0.01)) + (disc ? -50 : 0);
                image.setRGB(x, y, clamp(r + noise.nextInt(13) - 6) << 16 | clamp(g + noise.nextInt(13) - 6) << 8
                        | clamp(b + noise.nextInt(13) - 6));
            }
        }
        return image;
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static byte[] encode(Consumer<ImageWriteParam> configure, Integer restartInterval) {
        BufferedImage image = picture();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            configure.accept(param);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            editMarkers(metadata, restartInterval);
            writer.write(null, new IIOImage(image, null, metadata), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** RFC 2435 Appendix A (libjpeg's quality scaling of the Annex K tables), in the JDK's natural order. */
    private static JPEGQTable[] appendixATables(int quality) {
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        return new JPEGQTable[] {scaled(JPEGQTable.K1Luminance, scale), scaled(JPEGQTable.K2Chrominance, scale)};
    }

    private static JPEGQTable scaled(JPEGQTable annexK, int scale) {
        int[] table = annexK.getTable();
        for (int i = 0; i < table.length; i++) {
            table[i] = Math.max(1, Math.min(255, (table[i] * scale + 50) / 100));
        }
        return new JPEGQTable(table);
    }

    /**
     * Puts the Appendix A tables in the JDK's native JPEG metadata (its own quality setting scales in float and
     * misses libjpeg's tables by a rounding here and there) and, when asked, a DRI segment: the writer then emits RST
     * markers at that interval.
     */
    private static void editMarkers(IIOMetadata metadata, Integer restartInterval) throws IIOInvalidTreeException {
        String format = "javax_imageio_jpeg_image_1.0";
        Node root = metadata.getAsTree(format);
        Node markers = root.getLastChild();
        JPEGQTable[] tables = appendixATables(QUALITY);
        for (Node marker = markers.getFirstChild(); marker != null; marker = marker.getNextSibling()) {
            if (marker.getNodeName().equals("dqt")) {
                for (Node table = marker.getFirstChild(); table != null; table = table.getNextSibling()) {
                    int id = Integer.parseInt(((Element) table).getAttribute("qtableId"));
                    ((IIOMetadataNode) table).setUserObject(tables[id]);
                }
            }
        }
        if (restartInterval != null) {
            IIOMetadataNode dri = new IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(restartInterval));
            markers.insertBefore(dri, markers.getFirstChild());
        }
        metadata.setFromTree(format, root);
    }
}
