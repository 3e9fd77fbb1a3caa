package dev.mjpegrtp.micrometer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.mjpegrtp.camel.gstreamer.GstreamerConsumer;
import dev.mjpegrtp.camel.http.HttpMjpegEndpoint;
import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegConsumer;
import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegProducer;
import dev.mjpegrtp.camel.rtsp.RtspMjpegEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The lifecycle strategy behind {@link MjpegRtpMeters}: binds the meters of each producer, consumer and stream as
 * Camel adds it and removes them as Camel removes it.
 */
final class StreamMeters extends LifecycleStrategySupport {

    private static final String GSTREAMER = "gstreamer";
    private static final String RTP_MJPEG = "rtp-mjpeg";
    private static final String FRAMES_SENT = "Frames sent: to the destination (rtp), to viewers, all together "
            + "(rtsp, http)";
    private static final String BYTES_SENT = "Bytes sent: RTP packets (rtp, rtsp), multipart parts (http)";
    private static final String FRAMES_REJECTED = "Bodies that were no JPEG the transport carries";
    private static final String FRAMES_DROPPED = "Frames dropped: the send queue full (rtp), a viewer behind "
            + "(rtsp, http)";
    private static final String STREAM_FPS = "Frames the route sent in the last whole second";
    private static final String CONSUMER_FRAMES = "Frames the consumer handed to the route";
    private static final String CONSUMER_FPS = "Frames the consumer handed to the route in the last whole second";
    private static final String CONSUMER_FAILED = "Frames the route failed on";

    private final MeterRegistry registry;
    /** The meters of each object bound, by identity: a route's restart adds its consumer again. */
    private final Map<Object, List<Meter>> bound = new IdentityHashMap<>();

    StreamMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds the endpoints the context has already; the routes' producers and consumers come when they start. */
    void bindEndpoints(CamelContext camelContext) {
        camelContext.getEndpoints().forEach(this::onEndpointAdd);
    }

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (endpoint instanceof RtspMjpegEndpoint rtsp) {
            bind(rtsp, () -> rtspMeters(rtsp));
        } else if (endpoint instanceof HttpMjpegEndpoint http) {
            bind(http, () -> httpMeters(http));
        }
    }

    @Override
    public void onEndpointRemove(Endpoint endpoint) {
        unbind(endpoint);
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof RtpMjpegProducer producer) {
            bind(producer, () -> rtpProducerMeters(producer));
        } else if (service instanceof GstreamerConsumer consumer) {
            bind(consumer, () -> gstreamerConsumerMeters(consumer, routeId(consumer, route)));
        } else if (service instanceof RtpMjpegConsumer consumer) {
            bind(consumer, () -> rtpConsumerMeters(consumer, routeId(consumer, route)));
        }
    }

    @Override
    public void onServiceRemove(CamelContext context, Service service, Route route) {
        unbind(service);
    }

    private synchronized void bind(Object source, Supplier<MeterList> meters) {
        if (!bound.containsKey(source)) {
            bound.put(source, meters.get().meters);
        }
    }

    private synchronized void unbind(Object source) {
        List<Meter> meters = bound.remove(source);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private MeterList rtpProducerMeters(RtpMjpegProducer producer) {
        return new MeterList(Tags.of("stream", "rtp://" + hostAndPort(producer.getEndpoint()), "transport", "rtp"))
                .counter("mjpegrtp.frames.sent", FRAMES_SENT, producer, RtpMjpegProducer::getFramesSent)
                .counter("mjpegrtp.packets.sent", "RTP packets sent", producer, RtpMjpegProducer::getPacketsSent)
                .counter("mjpegrtp.bytes.sent", BYTES_SENT, producer, RtpMjpegProducer::getBytesSent)
                .counter("mjpegrtp.frames.rejected", FRAMES_REJECTED, producer, RtpMjpegProducer::getFramesRejected)
                .counter("mjpegrtp.frames.dropped", FRAMES_DROPPED, producer, RtpMjpegProducer::getFramesDropped)
                .gauge("mjpegrtp.stream.fps", STREAM_FPS, producer, RtpMjpegProducer::getCurrentFps);
    }

    private MeterList rtspMeters(RtspMjpegEndpoint endpoint) {
        String stream = endpoint.getUrl();
        return new MeterList(Tags.of("stream", stream, "transport", "rtsp"))
                .counter("mjpegrtp.frames.sent", FRAMES_SENT, endpoint, RtspMjpegEndpoint::getFramesSent)
                .counter("mjpegrtp.bytes.sent", BYTES_SENT, endpoint, RtspMjpegEndpoint::getBytesSent)
                .counter("mjpegrtp.frames.dropped", FRAMES_DROPPED, endpoint, RtspMjpegEndpoint::getFramesDropped)
                .gauge("mjpegrtp.stream.fps", STREAM_FPS, endpoint, RtspMjpegEndpoint::getCurrentFps)
                .viewers(stream, "rtsp-udp", endpoint, rtsp -> rtsp.getViewers() - rtsp.getInterleavedViewers())
                .viewers(stream, "rtsp-tcp", endpoint, RtspMjpegEndpoint::getInterleavedViewers);
    }

    private MeterList httpMeters(HttpMjpegEndpoint endpoint) {
        String stream = endpoint.getUrl();
        return new MeterList(Tags.of("stream", stream, "transport", "http"))
                .counter("mjpegrtp.frames.sent", FRAMES_SENT, endpoint, HttpMjpegEndpoint::getFramesSent)
                .counter("mjpegrtp.bytes.sent", BYTES_SENT, endpoint, HttpMjpegEndpoint::getBytesSent)
                .counter("mjpegrtp.frames.rejected", FRAMES_REJECTED, endpoint, HttpMjpegEndpoint::getFramesRejected)
                .counter("mjpegrtp.frames.dropped", FRAMES_DROPPED, endpoint, HttpMjpegEndpoint::getFramesSkipped)
                .gauge("mjpegrtp.stream.fps", STREAM_FPS, endpoint, HttpMjpegEndpoint::getCurrentFps)
                .viewers(stream, "http", endpoint, HttpMjpegEndpoint::getViewers);
    }

    private MeterList gstreamerConsumerMeters(GstreamerConsumer consumer, String routeId) {
        Tags tags = Tags.of("route", routeId, "component", GSTREAMER);
        return new MeterList(tags)
                .counter("mjpegrtp.consumer.frames", CONSUMER_FRAMES, consumer,
                        GstreamerConsumer::getFramesEmitted)
                .gauge("mjpegrtp.consumer.fps", CONSUMER_FPS, consumer, GstreamerConsumer::getCurrentFps)
                .counter("mjpegrtp.consumer.frames.failed", CONSUMER_FAILED, consumer,
                        GstreamerConsumer::getFramesFailed)
                .counter("mjpegrtp.appsink.frames.dropped", "Frames the appsink dropped because the route was busy",
                        consumer, GstreamerConsumer::getFramesDropped)
                .counter("mjpegrtp.pipeline.restarts", "Restarts of the pipeline after an error or end of stream",
                        consumer, GstreamerConsumer::getRestarts)
                .timeQuantiles("mjpegrtp.route.time", "From the frame's pull to the route being done with it, "
                        + "over the last 1024 frames", consumer,
                        GstreamerConsumer::getRouteTimeP50Micros, GstreamerConsumer::getRouteTimeP99Micros)
                .timeQuantiles("mjpegrtp.capture.latency", "From the frame's capture (its PTS on the pipeline clock) "
                        + "to the route being done with it, over the last 1024 frames", consumer,
                        GstreamerConsumer::getCaptureLatencyP50Micros, GstreamerConsumer::getCaptureLatencyP99Micros);
    }

    private MeterList rtpConsumerMeters(RtpMjpegConsumer consumer, String routeId) {
        return new MeterList(Tags.of("route", routeId, "component", RTP_MJPEG))
                .counter("mjpegrtp.consumer.frames", CONSUMER_FRAMES, consumer,
                        RtpMjpegConsumer::getFramesReceived)
                .gauge("mjpegrtp.consumer.fps", CONSUMER_FPS, consumer, RtpMjpegConsumer::getCurrentFps)
                .counter("mjpegrtp.consumer.frames.failed", CONSUMER_FAILED, consumer,
                        RtpMjpegConsumer::getFramesFailed)
                .counter("mjpegrtp.consumer.frames.lost", "Frames lost in transit, incomplete, oversize, or dropped "
                        + "because the route was busy", consumer, RtpMjpegConsumer::getFramesLost)
                .counter("mjpegrtp.consumer.packets.rejected", "Packets rejected: from a sender not allowed, "
                        + "malformed, another payload type, SSRC or source", consumer,
                        RtpMjpegConsumer::getPacketsRejected);
    }

    private static String routeId(DefaultConsumer consumer, Route route) {
        return route != null ? route.getRouteId() : String.valueOf(consumer.getRouteId());
    }

    /** {@code host:port} of an {@code rtp-mjpeg://host:port?options} URI. */
    private static String hostAndPort(Endpoint endpoint) {
        String uri = endpoint.getEndpointBaseUri();
        String rest = uri.substring(uri.indexOf(':') + 1);
        return rest.startsWith("//") ? rest.substring(2) : rest;
    }

    /** The meters of one object, all with its tags; registered as they are added. */
    private final class MeterList {

        private final Tags tags;
        private final List<Meter> meters = new ArrayList<>();

        MeterList(Tags tags) {
            this.tags = tags;
        }

        <T> MeterList counter(String name, String description, T source, ToLongFunction<T> count) {
            meters.add(FunctionCounter.builder(name, source, value -> count.applyAsLong(value)).tags(tags)
                    .description(description).register(registry));
            return this;
        }

        <T> MeterList gauge(String name, String description, T source, ToDoubleFunction<T> value) {
            meters.add(Gauge.builder(name, source, value).tags(tags).description(description).register(registry));
            return this;
        }

        /** Viewers by transport: a tag of their own, not the stream's. */
        <T> MeterList viewers(String stream, String transport, T source, ToDoubleFunction<T> value) {
            meters.add(Gauge.builder("mjpegrtp.viewers", source, value).tags("stream", stream, "transport", transport)
                    .description("Viewers of the stream now, by transport").register(registry));
            return this;
        }

        /** The median and 99th percentile of a duration in microseconds the source computes; none when negative. */
        <T> MeterList timeQuantiles(String name, String description, T source, ToLongFunction<T> p50,
                ToLongFunction<T> p99) {
            return timeQuantile(name, description, "0.5", source, p50)
                    .timeQuantile(name, description, "0.99", source, p99);
        }

        private <T> MeterList timeQuantile(String name, String description, String quantile, T source,
                ToLongFunction<T> micros) {
            meters.add(TimeGauge.builder(name, source, TimeUnit.MICROSECONDS, value -> {
                long measured = micros.applyAsLong(value);
                return measured < 0 ? Double.NaN : measured;
            }).tags(tags).tag("quantile", quantile).description(description).register(registry));
            return this;
        }
    }
}
