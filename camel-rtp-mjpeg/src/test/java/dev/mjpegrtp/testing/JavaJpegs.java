package dev.mjpegrtp.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG and PNG images made in-process with the JDK's encoders, for codec tests that need no external tool. The JDK
 * writes baseline JFIF with 4:2:0 sampling and the Annex K Huffman tables unless told otherwise.
 */
public final class JavaJpegs {

    private JavaJpegs() {
    }

    public static BufferedImage picture(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = x * 255 / Math.max(1, width - 1);
                int g = y * 255 / Math.max(1, height - 1);
                int b = ((x >> 3) + (y >> 3)) % 2 == 0 ? 200 : 30;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** A baseline 4:2:0 JPEG at the JDK's default quality (IJG quality 75). */
    public static byte[] baseline(int width, int height) {
        return write(picture(width, height, BufferedImage.TYPE_INT_RGB), null);
    }

    /** As {@link #baseline(int, int)}, of {@link #picture} with every colour inverted: the same size, other pixels. */
    public static byte[] baselineInverted(int width, int height) {
        BufferedImage image = picture(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ~image.getRGB(x, y));
            }
        }
        return write(image, null);
    }

    public static byte[] progressive(int width, int height) {
        return write(picture(width, height, BufferedImage.TYPE_INT_RGB), param -> {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        });
    }

    public static byte[] optimizedHuffman(int width, int height) {
        return write(picture(width, height, BufferedImage.TYPE_INT_RGB),
                param -> ((JPEGImageWriteParam) param).setOptimizeHuffmanTables(true));
    }

    /** A baseline 4:2:0 JPEG with a restart marker after every {@code interval} MCUs (a DRI in the JDK's metadata). */
    public static byte[] withRestartMarkers(int width, int height, int interval) {
        BufferedImage image = picture(width, height, BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.metadata.IIOMetadata metadata = writer.getDefaultImageMetadata(
                    javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), null);
            String format = "javax_imageio_jpeg_image_1.0";
            org.w3c.dom.Node root = metadata.getAsTree(format);
            org.w3c.dom.Node markers = root.getLastChild();
            javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(interval));
            markers.insertBefore(dri, markers.getFirstChild());
            metadata.setFromTree(format, root);
            writer.write(null, new IIOImage(image, null, metadata), null);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
    }

    public static byte[] grayscale(int width, int height) {
        return write(picture(width, height, BufferedImage.TYPE_BYTE_GRAY), null);
    }

    public static byte[] png(int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(picture(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes any JPEG the JDK reads to packed RGB pixels, for pixel-exact comparisons in-process. */
    public static int[] decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The samples of a grayscale JPEG, as the JDK decodes them (no colour conversion). */
    public static int[] decodeGray(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offset of the first occurrence of marker 0xFF{@code code} in a JPEG. */
    public static int markerOffset(byte[] jpeg, int code) {
        return markerOffset(jpeg, code, 0);
    }

    /** Offset of occurrence {@code index} (from 0) of marker 0xFF{@code code} in a JPEG. */
    public static int markerOffset(byte[] jpeg, int code, int index) {
        int seen = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == code && seen++ == index) {
                return i;
            }
        }
        throw new IllegalArgumentException("no marker 0xFF" + Integer.toHexString(code) + " number " + index);
    }

    /** A copy of {@code jpeg} with {@code segment} inserted before the marker 0xFF{@code beforeCode}. */
    public static byte[] insertBefore(byte[] jpeg, int beforeCode, byte[] segment) {
        int at = markerOffset(jpeg, beforeCode);
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(segment, 0, out, at, segment.length);
        System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
        return out;
    }

    private static byte[] write(BufferedImage image, java.util.function.Consumer<ImageWriteParam> configure) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (configure != null) {
                configure.accept(param);
            }
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return Arrays.copyOf(bytes.toByteArray(), bytes.size());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
    }
}
