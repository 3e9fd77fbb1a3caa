package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The JVM side of scripts/bench_gstreamer.py, not a test: a {@code gstreamer:} consumer on the given pipeline and a
 * route that only counts frames, so that what it costs beyond the pipeline itself is the JVM, gst1-java-core and
 * Camel. Prints the counters once a second until it is killed or the given seconds (if any) are over.
 *
 * <pre>java -cp ... dev.mjpegrtp.camel.gstreamer.GstreamerOverheadMain "videotestsrc is-live=true ! ... ! jpegenc" 60</pre>
 */
public final class GstreamerOverheadMain {

    private GstreamerOverheadMain() {
    }

    public static void main(String[] args) throws Exception {
        String pipeline = args[0];
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 0; // 0: until killed
        AtomicLong frames = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("gstreamer:bench?pipeline=RAW(" + pipeline + ")").routeId("bench")
                            .process(exchange -> {
                                bytes.addAndGet(exchange.getIn().getBody(ByteBuffer.class).remaining());
                                frames.incrementAndGet();
                            });
                }
            });
            context.start();
            GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("bench").getConsumer();
            long end = seconds > 0 ? System.currentTimeMillis() + seconds * 1000 : Long.MAX_VALUE;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(1000);
                System.out.printf("frames=%d dropped=%d bytes=%d%n", frames.get(), consumer.getFramesDropped(), bytes.get());
                System.out.flush();
            }
        }
    }
}
