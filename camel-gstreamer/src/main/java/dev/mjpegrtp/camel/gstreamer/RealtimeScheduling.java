package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Puts the calling thread in Linux's real-time scheduler (SCHED_FIFO). A pull thread there runs as soon as its frame
 * arrives and is not preempted by ordinary threads until it waits again: the ordinary scheduler, on a machine with
 * more runnable threads than cores, preempts it about once a frame and makes it wait milliseconds for a core, which is
 * what the tail of the time from the pull to the end of the route is made of. Its work is bounded by the source: it
 * only runs when the appsink has a frame for it, and the kernel keeps 5 % of each second for ordinary threads
 * ({@code sched_rt_runtime_us}).
 */
final class RealtimeScheduling {

    private static final int SCHED_FIFO = 1;

    private RealtimeScheduling() {
    }

    private static final class C {
        static {
            Native.register(C.class, Platform.C_LIBRARY_NAME);
        }

        private C() {
        }

        /** pid 0: the calling thread; param: struct sched_param, whose one field is the int priority. */
        static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }

    /**
     * Puts the calling thread in SCHED_FIFO at {@code priority} (1-99).
     *
     * @throws UnsupportedOperationException when the platform or the process's privileges do not allow it, with the
     *                                       reason
     */
    static void enterFifo(int priority) {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("SCHED_FIFO is Linux's; this is " + System.getProperty("os.name"));
        }
        try {
            C.sched_setscheduler(0, SCHED_FIFO, new int[] {priority});
        } catch (LastErrorException e) {
            throw new UnsupportedOperationException(e.getErrorCode() == 1
                    ? "not permitted (EPERM): the process needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least " + priority
                    : "sched_setscheduler failed with errno " + e.getErrorCode(), e);
        }
    }
}
