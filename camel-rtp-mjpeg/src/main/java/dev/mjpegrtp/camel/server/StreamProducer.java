package dev.mjpegrtp.camel.server;

import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.support.DefaultProducer;

/**
 * A producer that publishes each exchange's frame to its endpoint's stream, served while the producer runs. Never
 * waits for a viewer: the route goes on at once whatever the viewers do.
 *
 * @param <T> the endpoint's stream
 */
public abstract class StreamProducer<T> extends DefaultProducer {

    private volatile T stream;

    protected StreamProducer(ServerEndpoint<?, ?, T> endpoint) {
        super(endpoint);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ServerEndpoint<?, ?, T> getEndpoint() {
        return (ServerEndpoint<?, ?, T>) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stream = getEndpoint().openStream();
    }

    @Override
    protected void doStop() throws Exception {
        if (stream != null) {
            stream = null;
            getEndpoint().closeStream();
        }
        super.doStop();
    }

    /** The stream frames go to; throws when the producer is not started. */
    protected T stream() {
        T current = stream;
        if (current == null) {
            throw new RejectedExecutionException(getEndpoint().getComponent().scheme() + " producer for "
                    + getEndpoint().getUrl() + " is not started");
        }
        return current;
    }
}
