package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An option listing CIDR blocks of peer addresses, as rtsp-mjpeg's allowedClients and rtp-mjpeg's allowedSenders:
 * an empty filter allows every address.
 */
public final class AddressFilter {

    private final List<Block> blocks;

    private AddressFilter(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses {@code 192.168.1.0/24, 10.0.0.7, ::1/128}; a block without a prefix length is one address.
     *
     * @param option the option's name, for the messages of what does not parse
     */
    public static AddressFilter parse(String option, String cidrList) {
        List<Block> blocks = new ArrayList<>();
        if (cidrList != null) {
            for (String item : cidrList.split(",")) {
                String cidr = item.trim();
                if (!cidr.isEmpty()) {
                    blocks.add(Block.parse(option, cidr));
                }
            }
        }
        return new AddressFilter(List.copyOf(blocks));
    }

    /** Whether the filter names any address: false when it allows everyone. */
    public boolean isRestricted() {
        return !blocks.isEmpty();
    }

    public boolean allows(InetAddress peer) {
        if (blocks.isEmpty()) {
            return true;
        }
        byte[] address = peer.getAddress();
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefixLength) {

        static Block parse(String option, String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            // Literal addresses only: a host name here would make every request depend on a DNS lookup.
            if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException(option + ": '" + cidr + "' is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(option + ": '" + cidr + "' is not an IP address or CIDR block");
            }
            int bits = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": bad prefix length in '" + cidr + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(option + ": prefix length in '" + cidr + "' outside 0.." + bits);
            }
            return new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
