package dev.pharos.actuator.dns;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A provider that keeps records in memory, honouring the compare-and-set contract: for tests of
 * what drives providers. No configuration chooses it ({@code pharos.dns.provider: none} runs no
 * provider at all).
 */
public class InMemoryDnsProvider implements DnsProvider {
    private final String name;
    private final Map<RecordKey, RecordSet> records = new HashMap<>();
    private final List<DnsPlan> applied = new ArrayList<>();

    public InMemoryDnsProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Map<RecordKey, RecordSet> read(Set<RecordKey> owned)
            throws ActuatorException {
        Map<RecordKey, RecordSet> out = new HashMap<>();
        for (RecordKey k : owned) {
            RecordSet s = records.get(k);
            if (s != null) {
                out.put(k, s);
            }
        }
        return out;
    }

    @Override
    public synchronized void apply(DnsPlan plan) throws ActuatorException {
        for (DnsChange c : plan.changes()) {
            RecordSet now = records.get(c.key());
            if (!Objects.equals(now, c.before().orElse(null))) {
                throw ActuatorException.conflict(
                        c.key() + " changed since it was read (now " + now + ")");
            }
        }
        for (DnsChange c : plan.changes()) {
            if (c.after().isPresent()) {
                records.put(c.key(), c.after().get());
            } else {
                records.remove(c.key());
            }
        }
        applied.add(plan);
    }

    @Override
    public VerifyReport verify(DnsPlan plan, Duration timeout) {
        return VerifyReport.servedHere();
    }

    /** Plans applied so far (tests). */
    public synchronized List<DnsPlan> applied() {
        return List.copyOf(applied);
    }

    /** Sets a record behind the planner's back (tests: a concurrent edit). */
    public synchronized void put(RecordSet set) {
        records.put(set.key(), set);
    }
}
