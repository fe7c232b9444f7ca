package dev.pharos.domain;

/**
 * A managed RRset's identity.
 *
 * @param name lower-case, fully qualified, without the trailing dot
 * @param type "A" or "AAAA"
 */
public record RecordKey(String name, String type) implements Comparable<RecordKey> {
    @Override
    public int compareTo(RecordKey o) {
        int c = name.compareTo(o.name);
        return c != 0 ? c : type.compareTo(o.type);
    }

    @Override
    public String toString() {
        return name + "/" + type;
    }
}
