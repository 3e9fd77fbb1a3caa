package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.QuantizationTables;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.srtp.SrtpMasterKey;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of an rtp-mjpeg endpoint; the component keeps one as the template every endpoint copies. */
@UriParams
@Configurer
public class RtpMjpegConfiguration extends MjpegStreamConfiguration {

    @UriParam(defaultValue = "26", description = "RTP payload type: 26 is JPEG (RFC 3551); a dynamic type 96-127 "
              + "is announced with a=rtpmap in the SDP. The consumer drops packets of other types.")
    private int payloadType = RtpHeader.PAYLOAD_TYPE_JPEG;
    @UriParam(label = "producer", description = "Write the SDP describing this stream to this file when the "
              + "producer starts, so that ffplay, VLC or GStreamer can open it.")
    private String sdpFile;
    @UriParam(label = "producer", defaultValue = "255", description = "Q announcing quantization tables that are "
              + "not RFC 2435 Appendix A's, which then travel in-band: 255 says they may change every frame; 128-254 "
              + "tell receivers the tables of that Q never change, so use one only for a source at a fixed quality. "
              + "Applies to raw JPEG bodies; a body from JpegToRfc2435Processor keeps the processor's.")
    private int inBandQ = JpegParser.DYNAMIC_TABLES_Q;
    @UriParam(label = "producer,advanced", defaultValue = "4194304", description = "SO_SNDBUF of the sending socket "
              + "in bytes: room for several frames' bursts (the kernel caps it at net.core.wmem_max).")
    private int sendBufferSize = 4 * 1024 * 1024;
    @UriParam(label = "producer,advanced", defaultValue = "16", description = "Multicast time to live (1..255): "
              + "how many routers a multicast packet may cross.")
    private int ttl = 16;
    @UriParam(label = "advanced", description = "Network interface (by name, e.g. eth0 or lo) that multicast is sent "
              + "from or received on. Without it the system's default multicast route decides.")
    private String multicastInterface;
    @UriParam(description = "SSRC of the stream (0..4294967295). The producer sends under it (random by default, as "
              + "RFC 3550 asks, so that two senders never collide); the consumer then accepts this SSRC only. Without "
              + "it the consumer locks onto the first SSRC it hears, together with the source address (IP and port) "
              + "it comes from, and follows a successor once that one has been silent for sourceTimeout.")
    private Long ssrc;
    @UriParam(label = "consumer,advanced", defaultValue = "1000", description = "Milliseconds a stream must be silent "
              + "before the consumer follows a successor (a restarted camera, the new leader of a cluster): another "
              + "SSRC or source port from the same IP address, or from another address that allowedSenders names, once "
              + "two of its packets came in sequence. Until then packets of other SSRCs or source addresses are "
              + "rejected and counted.")
    private long sourceTimeout = 1000;
    @UriParam(label = "consumer,security", description = "IP addresses and CIDR blocks the consumer accepts RTP from, "
              + "comma-separated (e.g. 192.168.1.0/24, 10.0.0.7, fd00::/8): datagrams from any other address are "
              + "dropped before they are read, and counted. A silent stream's successor may then come from any of "
              + "them. Without it every address is accepted, and a successor only from the stream's own IP address.")
    private String allowedSenders;
    @UriParam(label = "producer", defaultValue = "0", description = "Spread each frame's packets over this fraction of "
              + "the frame interval (0..1) instead of sending them in one burst; helps receivers with small socket "
              + "buffers and lossy links at the cost of that much latency. 0 sends at once.")
    private double pacing;
    @UriParam(label = "producer,advanced", defaultValue = "true", description = "Hand each run of equal-size packets "
              + "of a frame to the kernel as one UDP segmentation offload send (Linux UDP_SEGMENT, native epoll "
              + "transport), which cuts it into the same datagrams at a fraction of the CPU cost. Ignored where the "
              + "transport or kernel lacks it; false sends one datagram per packet.")
    private boolean segmentationOffload = true;
    @UriParam(label = "producer", defaultValue = "true", description = "Send RTCP sender reports (RFC 3550 §6.4.1) to "
              + "port+1: they map RTP timestamps to wall-clock time for receivers and carry packet and octet counts. A "
              + "BYE is sent when the producer stops.")
    private boolean rtcp = true;
    @UriParam(label = "producer,advanced", defaultValue = "5000", description = "Milliseconds between RTCP sender "
              + "reports.")
    private long rtcpInterval = 5000;
    @UriParam(label = "consumer,advanced", defaultValue = "4194304", description = "SO_RCVBUF of the receiving "
              + "socket in bytes, sized for the packet bursts of whole frames (the kernel caps it at "
              + "net.core.rmem_max).")
    private int receiveBufferSize = 4 * 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "8388608", description = "Largest frame the consumer reassembles; "
              + "a bigger one is dropped and counted. Bounds the consumer's memory.")
    private int maxFrameSize = Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE;
    @UriParam(label = "consumer,security", defaultValue = "4096", description = "Widest frame the consumer "
              + "reassembles, whichever source gives its size (RTP/JPEG header, ONVIF JPEG header extension, "
              + "xDimensions); a wider one is dropped and counted. The default carries 4K (3840 and 4096 pixels).")
    private int maxWidth = Rfc2435Depacketizer.DEFAULT_MAX_WIDTH;
    @UriParam(label = "consumer,security", defaultValue = "4096", description = "Tallest frame the consumer "
              + "reassembles, whichever source gives its size; a taller one is dropped and counted. The default "
              + "carries 4K in portrait orientation.")
    private int maxHeight = Rfc2435Depacketizer.DEFAULT_MAX_HEIGHT;
    @UriParam(label = "consumer", description = "Frame size W,H announced out of band by the sender's SDP "
              + "(a=x-dimensions:W,H), for frames wider or taller than 2040 pixels, whose RTP/JPEG header says 0. "
              + "A size the sender puts in the ONVIF JPEG header extension takes precedence; without either such "
              + "frames are dropped.")
    private String xDimensions;
    @UriParam(label = "consumer,advanced", defaultValue = "4", description = "Frames handed to the route but not yet "
              + "processed; when the route falls this far behind, newer frames are dropped and counted instead of "
              + "queueing without bound.")
    private int maxPendingFrames = 4;
    @UriParam(label = "security", secret = true, description = "Turns SRTP (RFC 3711, AES_CM_128_HMAC_SHA1_80) on: "
              + "the pre-shared master key and salt as RFC 4568's inline key, 40 base64 characters (30 bytes: 16 of "
              + "key, 14 of salt), e.g. from openssl rand -base64 30. The producer encrypts and authenticates every "
              + "RTP and RTCP packet and writes the key into the SDP file (RTP/SAVP, a=crypto), which is then readable "
              + "by its owner only; the consumer drops and counts every packet whose tag does not match and every "
              + "replay. Both ends need the same key. Never logged.")
    private String srtpKey;

    public RtpMjpegConfiguration copy() {
        return (RtpMjpegConfiguration) copyOf();
    }

    /** Rejects option values no endpoint can work with, naming the option. */
    public void validate() {
        validateStream("rtp-mjpeg:host:port");
        if (inBandQ < QuantizationTables.MIN_IN_BAND_Q || inBandQ > JpegParser.DYNAMIC_TABLES_Q) {
            throw new IllegalArgumentException("inBandQ " + inBandQ + " outside " + QuantizationTables.MIN_IN_BAND_Q
                    + ".." + JpegParser.DYNAMIC_TABLES_Q);
        }
        if (payloadType != RtpHeader.PAYLOAD_TYPE_JPEG && (payloadType < 96 || payloadType > 127)) {
            throw new IllegalArgumentException("payloadType " + payloadType + " is neither 26 (JPEG) nor dynamic (96-127)");
        }
        if (ssrc != null && (ssrc < 0 || ssrc > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("ssrc " + ssrc + " outside 0..4294967295");
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl " + ttl + " outside 1..255");
        }
        if (pacing < 0 || pacing > 1) {
            throw new IllegalArgumentException("pacing " + pacing + " outside 0..1 (a fraction of the frame interval)");
        }
        if (rtcpInterval < 100) {
            throw new IllegalArgumentException("rtcpInterval " + rtcpInterval + " ms is below 100 ms");
        }
        if (maxFrameSize < 1 || maxPendingFrames < 1) {
            throw new IllegalArgumentException("maxFrameSize and maxPendingFrames must be positive");
        }
        AddressFilter.parse("allowedSenders", allowedSenders);
        if (maxWidth < 1 || maxWidth > 65535 || maxHeight < 1 || maxHeight > 65535) {
            throw new IllegalArgumentException("maxWidth " + maxWidth + " or maxHeight " + maxHeight + " outside 1..65535");
        }
        if (srtpKey != null) {
            try {
                SrtpMasterKey.ofInline(srtpKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("srtpKey: " + e.getMessage());
            }
        }
        if (xDimensions != null && !xDimensions.matches("\\d{1,5},\\d{1,5}")) {
            throw new IllegalArgumentException("xDimensions '" + xDimensions + "' is not W,H (e.g. 3840,2160)");
        }
    }

    /** Width from {@link #getXDimensions()}, 0 when not set. */
    public int declaredWidth() {
        return xDimensions == null ? 0 : Integer.parseInt(xDimensions.substring(0, xDimensions.indexOf(',')));
    }

    /** Height from {@link #getXDimensions()}, 0 when not set. */
    public int declaredHeight() {
        return xDimensions == null ? 0 : Integer.parseInt(xDimensions.substring(xDimensions.indexOf(',') + 1));
    }

    public int getPayloadType() {
        return payloadType;
    }

    public void setPayloadType(int payloadType) {
        this.payloadType = payloadType;
    }

    public String getSdpFile() {
        return sdpFile;
    }

    public void setSdpFile(String sdpFile) {
        this.sdpFile = sdpFile;
    }

    public int getInBandQ() {
        return inBandQ;
    }

    public void setInBandQ(int inBandQ) {
        this.inBandQ = inBandQ;
    }

    public int getSendBufferSize() {
        return sendBufferSize;
    }

    public void setSendBufferSize(int sendBufferSize) {
        this.sendBufferSize = sendBufferSize;
    }

    public int getTtl() {
        return ttl;
    }

    public void setTtl(int ttl) {
        this.ttl = ttl;
    }

    public String getMulticastInterface() {
        return multicastInterface;
    }

    public void setMulticastInterface(String multicastInterface) {
        this.multicastInterface = multicastInterface;
    }

    public long getSourceTimeout() {
        return sourceTimeout;
    }

    public void setSourceTimeout(long sourceTimeout) {
        this.sourceTimeout = sourceTimeout;
    }

    public Long getSsrc() {
        return ssrc;
    }

    public void setSsrc(Long ssrc) {
        this.ssrc = ssrc;
    }

    public String getAllowedSenders() {
        return allowedSenders;
    }

    public void setAllowedSenders(String allowedSenders) {
        this.allowedSenders = allowedSenders;
    }

    public boolean isSegmentationOffload() {
        return segmentationOffload;
    }

    public void setSegmentationOffload(boolean segmentationOffload) {
        this.segmentationOffload = segmentationOffload;
    }

    public double getPacing() {
        return pacing;
    }

    public void setPacing(double pacing) {
        this.pacing = pacing;
    }

    public boolean isRtcp() {
        return rtcp;
    }

    public void setRtcp(boolean rtcp) {
        this.rtcp = rtcp;
    }

    public long getRtcpInterval() {
        return rtcpInterval;
    }

    public void setRtcpInterval(long rtcpInterval) {
        this.rtcpInterval = rtcpInterval;
    }

    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    public void setReceiveBufferSize(int receiveBufferSize) {
        this.receiveBufferSize = receiveBufferSize;
    }

    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public int getMaxWidth() {
        return maxWidth;
    }

    public void setMaxWidth(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    public int getMaxHeight() {
        return maxHeight;
    }

    public void setMaxHeight(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    public String getXDimensions() {
        return xDimensions;
    }

    public void setXDimensions(String xDimensions) {
        this.xDimensions = xDimensions;
    }

    public String getSrtpKey() {
        return srtpKey;
    }

    public void setSrtpKey(String srtpKey) {
        this.srtpKey = srtpKey;
    }

    /** The SRTP key of {@link #getSrtpKey()}, null for plain RTP. */
    public SrtpMasterKey srtpMasterKey() {
        return srtpKey == null ? null : SrtpMasterKey.ofInline(srtpKey);
    }

    public int getMaxPendingFrames() {
        return maxPendingFrames;
    }

    public void setMaxPendingFrames(int maxPendingFrames) {
        this.maxPendingFrames = maxPendingFrames;
    }
}
