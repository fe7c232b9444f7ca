package dev.pharos.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * Parses IP address literals without ever falling back to a DNS lookup, which {@link
 * InetAddress#getByName} does for anything it cannot parse.
 */
public final class IpLiterals {
    private IpLiterals() {}

    public static Optional<InetAddress> parseV4(String text) {
        return parse(text, Address.IPv4);
    }

    public static Optional<InetAddress> parseV6(String text) {
        return parse(text, Address.IPv6);
    }

    /** Either family. */
    public static Optional<InetAddress> parseAny(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return text.contains(":") ? parseV6(text) : parseV4(text);
    }

    private static Optional<InetAddress> parse(String text, int family) {
        if (text == null || text.isBlank() || text.contains("%")) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        byte[] bytes = Address.toByteArray(t, family);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Canonical text: dotted quad, or compressed IPv6 (RFC 5952 style) without brackets. */
    public static String toText(InetAddress address) {
        if (address instanceof Inet6Address) {
            return compressV6(address.getAddress());
        }
        return address.getHostAddress();
    }

    /** For host:port strings: IPv6 in brackets. */
    public static String format(InetAddress address) {
        String text = toText(address);
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    private static String compressV6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
