package dev.pharos.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A token setting may hold several tokens separated by commas, so that a token can be rotated
 * without a moment in which peers (or clients) and this instance disagree: every token listed is
 * accepted, and the first one is the one this instance presents to its peers. Blanks around a token
 * are ignored; a token therefore cannot contain a comma.
 */
public final class TokenList {
    private TokenList() {}

    /** The tokens of a setting, in order, without blanks (empty when unset). */
    public static List<String> of(Optional<String> setting) {
        return setting.map(
                        s ->
                                Arrays.stream(s.split(","))
                                        .map(String::strip)
                                        .filter(t -> !t.isEmpty())
                                        .toList())
                .orElse(List.of());
    }

    /** The token this instance presents: the first one listed. */
    public static Optional<String> presented(Optional<String> setting) {
        List<String> tokens = of(setting);
        return tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.get(0));
    }
}
