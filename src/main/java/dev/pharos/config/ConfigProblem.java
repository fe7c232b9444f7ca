package dev.pharos.config;

/** One thing wrong with the configuration: the key and what is wrong with it. */
public record ConfigProblem(String key, String message) {
    @Override
    public String toString() {
        return key + ": " + message;
    }
}
