package dev.mjpegrtp.camel.gstreamer;

/**
 * A running pipeline failed for good: it posted an error (or ended) and the consumer may not restart it any more. It
 * reaches the route's error handling when the consumer has {@code bridgeErrorHandler=true}, and names the element that
 * failed and GStreamer's message, so that an {@code onException} can tell a camera that is gone from other failures.
 */
public class GstreamerPipelineException extends GstreamerException {

    private final String pipelineName;
    private final String elementName;
    private final String errorMessage;
    private final long restarts;

    public GstreamerPipelineException(String pipelineName, String elementName, String errorMessage, long restarts) {
        super("pipeline " + pipelineName + " failed after " + restarts + " restarts: element " + elementName + ": "
              + errorMessage);
        this.pipelineName = pipelineName;
        this.elementName = elementName;
        this.errorMessage = errorMessage;
        this.restarts = restarts;
    }

    /** The name of the endpoint's pipeline (the path of the {@code gstreamer:} URI). */
    public String getPipelineName() {
        return pipelineName;
    }

    /** The GStreamer element that posted the error, e.g. {@code v4l2src0} or the name given with {@code name=}. */
    public String getElementName() {
        return elementName;
    }

    /** GStreamer's error message, e.g. {@code Resource not found.} */
    public String getErrorMessage() {
        return errorMessage;
    }

    /** Restarts the consumer made before it gave up. */
    public long getRestarts() {
        return restarts;
    }
}
