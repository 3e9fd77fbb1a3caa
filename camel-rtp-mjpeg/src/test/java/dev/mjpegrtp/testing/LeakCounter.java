package dev.mjpegrtp.testing;

import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.ResourceLeakDetector;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Counts the leaks Netty's leak detector reports (the build runs it paranoid) for the life of the JVM, without
 * keeping the reports: for fuzz tests, which run millions of inputs and need only to know that none leaked. The
 * detector sees a leak only once the garbage collector has taken the buffer, so a leak shows some inputs later.
 */
public final class LeakCounter {

    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();
    private static final AtomicLong LEAKS = new AtomicLong();
    private static volatile boolean installed;

    private LeakCounter() {
    }

    /** Starts counting (once per JVM; later calls do nothing). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender appender = new AbstractAppender("leak-counter", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (DETECTOR_LOGGER.equals(event.getLoggerName()) && event.getLevel().isMoreSpecificThan(Level.ERROR)) {
                    LEAKS.incrementAndGet();
                }
            }
        };
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ERROR, null);
        context.updateLoggers();
        installed = true;
    }

    /** Leaks reported since {@link #install}. */
    public static long leaks() {
        return LEAKS.get();
    }
}
