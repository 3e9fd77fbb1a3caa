package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetAddress;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AddressFilterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("192.168.1.0/24", "192.168.1.77", true),
                arguments("192.168.1.0/24", "192.168.2.1", false),
                arguments("10.0.0.0/8, 172.16.0.0/12", "172.31.255.255", true),
                arguments("10.0.0.0/8, 172.16.0.0/12", "172.32.0.1", false),
                arguments("10.1.2.3", "10.1.2.3", true),
                arguments("10.1.2.3", "10.1.2.4", false),
                arguments("192.168.1.128/25", "192.168.1.127", false),
                arguments("192.168.1.128/25", "192.168.1.200", true),
                arguments("0.0.0.0/0", "8.8.8.8", true),
                arguments("::1/128", "::1", true),
                arguments("::1/128", "127.0.0.1", false),
                arguments("fd00::/8", "fd12:3456::1", true),
                arguments("", "203.0.113.9", true));
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @MethodSource("cases")
    void matchesAddressesByPrefix(String cidrs, String client, boolean allowed) throws Exception {
        assertThat(AddressFilter.parse("allowedClients", cidrs).allows(InetAddress.getByName(client))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"camera.local", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "10.0.0.0/-1"})
    void rejectsWhatIsNoAddressOrPrefix(String cidr) {
        assertThatThrownBy(() -> AddressFilter.parse("allowedSenders", cidr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowedSenders: ");
    }

    @Test
    void unsetAllowsEveryone() throws Exception {
        assertThat(AddressFilter.parse("allowedClients", null).allows(InetAddress.getByName("198.51.100.1"))).isTrue();
    }
}
