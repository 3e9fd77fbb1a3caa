package dev.mjpegrtp.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The components' own counters as Micrometer meters: each meter reads a counter or gauge of a producer, consumer or
 * stream when the registry is scraped, so a frame costs nothing more than the component's own counting. Meters come
 * and go with their objects: an {@code rtp-mjpeg:} producer or a consumer when its route adds or removes it, an
 * {@code rtsp-mjpeg:} or {@code http-mjpeg:} path with its endpoint.
 *
 * <p>What is sent, tagged {@code stream} (the destination or path URL) and {@code transport} ({@code rtp},
 * {@code rtsp}, {@code http}): {@code mjpegrtp.frames.sent}, {@code mjpegrtp.packets.sent} (rtp),
 * {@code mjpegrtp.bytes.sent}, {@code mjpegrtp.frames.rejected} (bodies that were no JPEG the transport carries),
 * {@code mjpegrtp.frames.dropped} (a full send queue, a viewer behind), {@code mjpegrtp.stream.fps}, and
 * {@code mjpegrtp.viewers} ({@code transport} {@code rtsp-udp}, {@code rtsp-tcp} or {@code http}). What is received,
 * tagged {@code route} and {@code component} ({@code gstreamer}, {@code rtp-mjpeg}): {@code mjpegrtp.consumer.frames},
 * {@code mjpegrtp.consumer.fps}, {@code mjpegrtp.consumer.frames.failed}, {@code mjpegrtp.consumer.frames.lost} and
 * {@code mjpegrtp.consumer.packets.rejected} (rtp-mjpeg), {@code mjpegrtp.appsink.frames.dropped} and
 * {@code mjpegrtp.pipeline.restarts} (gstreamer), and the gstreamer consumer's own timings over its last 1024 frames,
 * {@code mjpegrtp.route.time} (pull to the route being done, for rtp-mjpeg until the last packet is in the kernel) and
 * {@code mjpegrtp.capture.latency} (capture to the same moment), each with {@code quantile} 0.5 and 0.99.
 *
 * <p>The registry is the application's: a {@code PrometheusMeterRegistry} shows them as
 * {@code mjpegrtp_frames_sent_total} and so on, as the camel-main app's {@code /observe/metrics} and a Spring Boot
 * application's {@code /actuator/prometheus} do.
 */
public final class MjpegRtpMeters {

    private MjpegRtpMeters() {
    }

    /**
     * Binds the meters of the endpoints the context has already, and of every endpoint, producer and consumer it adds
     * from now on, to the registry. Once per context and registry, before the context starts its routes: a producer
     * or consumer that started before has no meters.
     */
    public static void bindTo(CamelContext camelContext, MeterRegistry registry) {
        StreamMeters meters = new StreamMeters(registry);
        camelContext.addLifecycleStrategy(meters);
        meters.bindEndpoints(camelContext);
    }
}
