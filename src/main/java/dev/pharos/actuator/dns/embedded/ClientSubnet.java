package dev.pharos.actuator.dns.embedded;

import java.util.Arrays;

/**
 * An EDNS Client Subnet option (RFC 7871) as this server reads it from the option's data. dnsjava
 * parses the option too, but refuses a valid IPv4-mapped IPv6 subnet ({@code
 * ::ffff:198.51.100.0/120}), so the rules of section 6 are checked here, on the bytes.
 *
 * @param family 1 (IPv4) or 2 (IPv6)
 * @param source SOURCE PREFIX-LENGTH
 * @param address the address, padded with zeros to 4 or 16 bytes
 * @param octets how many octets of it the option carried (and a response carries back)
 */
record ClientSubnet(int family, int source, byte[] address, int octets) {

    /**
     * The option's data read, or null when it is malformed: an unknown family, a prefix longer than
     * the address, more or fewer octets than the prefix needs, bits set beyond the prefix.
     */
    static ClientSubnet parse(byte[] data, int offset, int length) {
        if (length < 4) {
            return null;
        }
        int family = ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
        int source = data[offset + 2] & 0xFF;
        int size = family == 1 ? 4 : family == 2 ? 16 : -1;
        int octets = length - 4;
        if (size < 0 || source > size * 8 || octets != (source + 7) / 8) {
            return null;
        }
        byte[] address = new byte[size];
        System.arraycopy(data, offset + 4, address, 0, octets);
        if (source % 8 != 0 && (address[octets - 1] & (0xFF >> (source % 8))) != 0) {
            return null;
        }
        return new ClientSubnet(family, source, address, octets);
    }

    /** The option's data as a response carries it back: as asked, with {@code scope}. */
    byte[] echo(int scope) {
        byte[] out = new byte[4 + octets];
        out[1] = (byte) family;
        out[2] = (byte) source;
        out[3] = (byte) scope;
        System.arraycopy(address, 0, out, 4, octets);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSubnet c
                && family == c.family
                && source == c.source
                && Arrays.equals(address, c.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + source;
    }

    @Override
    public String toString() {
        return "ClientSubnet[family=" + family + ", source=" + source + "]";
    }
}
