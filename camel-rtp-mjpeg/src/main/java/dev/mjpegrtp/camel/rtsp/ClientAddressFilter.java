package dev.mjpegrtp.camel.rtsp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The allowedClients option: CIDR blocks of client addresses; an empty filter allows every address. */
final class ClientAddressFilter {

    private final List<Block> blocks;

    private ClientAddressFilter(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code 192.168.1.0/24, 10.0.0.7, ::1/128}; a block without a prefix length is one address. */
    static ClientAddressFilter parse(String cidrList) {
        List<Block> blocks = new ArrayList<>();
        if (cidrList != null) {
            for (String item : cidrList.split(",")) {
                String cidr = item.trim();
                if (!cidr.isEmpty()) {
                    blocks.add(Block.parse(cidr));
                }
            }
        }
        return new ClientAddressFilter(List.copyOf(blocks));
    }

    /** Whether the filter is empty: every address allowed. */
    boolean allowsAll() {
        return blocks.isEmpty();
    }

    boolean allows(InetAddress client) {
        if (blocks.isEmpty()) {
            return true;
        }
        byte[] address = client.getAddress();
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefixLength) {

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            // Literal addresses only: a host name here would make every request depend on a DNS lookup.
            if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("allowedClients: '" + cidr + "' is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("allowedClients: '" + cidr + "' is not an IP address or CIDR block");
            }
            int bits = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("allowedClients: bad prefix length in '" + cidr + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("allowedClients: prefix length in '" + cidr + "' outside 0.." + bits);
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
