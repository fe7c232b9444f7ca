package dev.pharos.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IP network, written {@code 198.51.100.0/24} or {@code 2001:db8::/32}: the address with every
 * bit beyond the prefix clear. An IPv4-mapped IPv6 network ({@code ::ffff:198.51.100.0/120}) is
 * read as the IPv4 network it maps.
 */
public final class Cidr {
    private final byte[] bytes;
    private final int prefix;

    private Cidr(byte[] bytes, int prefix) {
        this.bytes = bytes;
        this.prefix = prefix;
    }

    /** A network from address bytes (4 or 16) and a prefix length; bits beyond it are cleared. */
    public static Cidr of(byte[] address, int prefix) {
        byte[] b = address.clone();
        if (b.length == 16 && isV4Mapped(b) && prefix >= 96) {
            return of(Arrays.copyOfRange(b, 12, 16), prefix - 96);
        }
        clearBeyond(b, prefix);
        return new Cidr(b, prefix);
    }

    public static Parsed<Cidr> parse(String key, String text) {
        Parsed<Cidr> bad =
                Parsed.bad(key, "'" + text + "' is not a network (address/prefix-length)");
        int slash = text.indexOf('/');
        if (slash <= 0) {
            return bad;
        }
        Optional<InetAddress> a = IpLiterals.parseAny(text.substring(0, slash).trim());
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return bad;
        }
        if (a.isEmpty()) {
            return bad;
        }
        byte[] b = a.get().getAddress();
        if (prefix < 0 || prefix > b.length * 8) {
            return Parsed.bad(
                    key, "'" + text + "': the prefix length must be 0 to " + b.length * 8);
        }
        byte[] cleared = b.clone();
        clearBeyond(cleared, prefix);
        if (!Arrays.equals(cleared, b)) {
            return Parsed.bad(key, "'" + text + "' has bits set beyond its prefix length");
        }
        return Parsed.ok(of(b, prefix));
    }

    /** 4 or 16. */
    public int length() {
        return bytes.length;
    }

    public int prefix() {
        return prefix;
    }

    /** Whether {@code address} (4 or 16 bytes, of this network's family) lies inside. */
    public boolean contains(byte[] address) {
        return address.length == bytes.length && commonPrefix(address) >= prefix;
    }

    /** How many leading bits {@code address} shares with this network's address. */
    public int commonPrefix(byte[] address) {
        int n = Math.min(address.length, bytes.length);
        for (int i = 0; i < n; i++) {
            int x = (address[i] ^ bytes[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return n * 8;
    }

    public InetAddress address() {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code b} (16 bytes) is an IPv4-mapped IPv6 address, ::ffff:a.b.c.d. */
    public static boolean isV4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    static void clearBeyond(byte[] b, int prefix) {
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xFF00 >> keep);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + prefix;
    }

    @Override
    public String toString() {
        InetAddress a = address();
        return (a instanceof Inet4Address ? a.getHostAddress() : IpLiterals.toText(a))
                + "/"
                + prefix;
    }
}
