package dev.mjpegrtp.jpeg;

/** The second byte of the JPEG marker codes (ITU-T T.81 Table B.1) the codec reads or writes. */
public final class JpegMarker {

    public static final int SOF0 = 0xC0;
    public static final int SOF1 = 0xC1;
    public static final int SOF2 = 0xC2;
    public static final int SOF3 = 0xC3;
    public static final int DHT = 0xC4;
    public static final int SOF5 = 0xC5;
    public static final int SOF7 = 0xC7;
    public static final int JPG = 0xC8;
    public static final int SOF9 = 0xC9;
    public static final int SOF11 = 0xCB;
    public static final int DAC = 0xCC;
    public static final int SOF13 = 0xCD;
    public static final int SOF15 = 0xCF;
    public static final int RST0 = 0xD0;
    public static final int RST7 = 0xD7;
    public static final int SOI = 0xD8;
    public static final int EOI = 0xD9;
    public static final int SOS = 0xDA;
    public static final int DQT = 0xDB;
    public static final int DNL = 0xDC;
    public static final int DRI = 0xDD;
    public static final int APP0 = 0xE0;
    public static final int APP14 = 0xEE;
    public static final int TEM = 0x01;

    private JpegMarker() {
    }

    public static boolean isRestart(int marker) {
        return marker >= RST0 && marker <= RST7;
    }

    public static String hex(int marker) {
        return "0xFF" + Integer.toHexString(marker).toUpperCase();
    }
}
