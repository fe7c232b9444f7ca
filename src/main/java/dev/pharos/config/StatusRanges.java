package dev.pharos.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Accepted HTTP statuses, e.g. "200-399" or "200,204,301-302". */
public record StatusRanges(List<int[]> ranges, String text) {

    public static final StatusRanges SUCCESS_OR_REDIRECT = parse("200-399").orElseThrow();
    public static final StatusRanges ANY_ANSWER = parse("100-599").orElseThrow();

    public boolean accepts(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Empty when the text is malformed or a status is outside 100-599. */
    public static Optional<StatusRanges> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<int[]> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            String[] bounds = p.split("-", -1);
            if (bounds.length > 2) {
                return Optional.empty();
            }
            try {
                int lo = Integer.parseInt(bounds[0].trim());
                int hi = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : lo;
                if (lo < 100 || hi > 599 || lo > hi) {
                    return Optional.empty();
                }
                out.add(new int[] {lo, hi});
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new StatusRanges(List.copyOf(out), text.trim()));
    }

    @Override
    public String toString() {
        return text;
    }
}
