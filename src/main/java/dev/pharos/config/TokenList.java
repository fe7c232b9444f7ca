package dev.pharos.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A token setting may hold several tokens separated by commas, so that a token can be rotated
 * without a moment in which peers (or clients) and this instance disagree: every token listed is
 * accepted, and the first one is the one this instance presents to its peers. Blanks around a token
 * are ignored; a token therefore cannot contain a comma.
 *
 * @param tokens in order, without blanks (empty when unset)
 */
public record TokenList(List<String> tokens) {

    public TokenList {
        tokens = List.copyOf(tokens);
    }

    public static TokenList parse(Optional<String> setting) {
        return new TokenList(
                setting.map(
                                s ->
                                        Arrays.stream(s.split(","))
                                                .map(String::strip)
                                                .filter(t -> !t.isEmpty())
                                                .toList())
                        .orElse(List.of()));
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The token this instance presents: the first one listed. */
    public Optional<String> presented() {
        return tokens.stream().findFirst();
    }

    /** Never the tokens. */
    @Override
    public String toString() {
        return "TokenList[" + tokens.size() + " tokens]";
    }
}
