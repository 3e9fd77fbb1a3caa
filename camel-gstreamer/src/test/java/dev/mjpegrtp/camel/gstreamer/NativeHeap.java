package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Bytes in use on the C heap (glibc mallinfo2: small blocks in every arena plus mmap-ed large blocks), which is
 * where GStreamer keeps its buffers. Unlike RSS it leaves out the Java heap, whose pages become resident as the
 * allocator first touches them and so make RSS grow without any leak.
 */
final class NativeHeap {

    /** struct mallinfo2 (glibc 2.33+): ten size_t fields, all 64-bit here. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                           "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    interface C extends Library {
        MallInfo2 mallinfo2();
    }

    private static final C LIBC = Native.load("c", C.class);

    private NativeHeap() {
    }

    /** Kilobytes allocated with malloc and not yet freed, mmap-ed blocks included. */
    static long inUseKilobytes() {
        MallInfo2 info = LIBC.mallinfo2();
        return (info.uordblks + info.hblkhd) / 1024;
    }
}
