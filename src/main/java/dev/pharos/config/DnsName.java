package dev.pharos.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** A DNS name as Pharos keeps it: lower case, fully qualified, without the trailing dot. */
public record DnsName(String text) {
    private static final Pattern LABEL =
            Pattern.compile("(\\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)");

    public static Parsed<DnsName> parse(String key, String text) {
        String name = normalize(text);
        return valid(name)
                ? Parsed.ok(new DnsName(name))
                : Parsed.bad(key, "'" + text + "' is not a valid DNS name");
    }

    /** Lower case, blanks and the trailing dot removed; not checked. */
    public static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static boolean valid(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Whether this name is the zone's apex or below it. */
    public boolean isIn(DnsName zone) {
        return text.equals(zone.text) || text.endsWith("." + zone.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
