package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.probe.BodyMatcher.Verdict;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BodyMatcherTest {
    @Test
    void substringSplitAcrossReadsIsFoundBeforeTheBodyEnds() {
        BodyMatcher m = new BodyMatcher(Optional.of("healthy"), Optional.empty());
        m.append(Buffer.buffer("status: heal"));
        assertThat(m.check(false)).isEqualTo(Verdict.UNDECIDED);
        m.append(Buffer.buffer("thy, more to come"));
        assertThat(m.check(false)).isEqualTo(Verdict.MATCHED);
    }

    @Test
    void regexMatchThatDependsOnTheEndWaitsForTheEnd() {
        BodyMatcher m = new BodyMatcher(Optional.empty(), Optional.of(Pattern.compile("ok$")));
        m.append(Buffer.buffer("ok"));
        assertThat(m.check(false)).isEqualTo(Verdict.UNDECIDED);
        m.append(Buffer.buffer(" not really"));
        assertThat(m.check(true)).isEqualTo(Verdict.MISMATCHED);
        assertThat(m.mismatch(false)).isEqualTo("body does not match /ok$/");
    }

    @Test
    void multiByteCharacterSplitAcrossReadsIsDecoded() {
        BodyMatcher m = new BodyMatcher(Optional.of("grün"), Optional.empty());
        byte[] bytes = "status grün".getBytes(StandardCharsets.UTF_8);
        int split = bytes.length - 2; // inside the two bytes of 'ü'
        m.append(Buffer.buffer(Arrays.copyOfRange(bytes, 0, split)));
        m.append(Buffer.buffer(Arrays.copyOfRange(bytes, split, bytes.length)));
        assertThat(m.check(true)).isEqualTo(Verdict.MATCHED);
    }

    @Test
    void bothSubstringAndRegexMustMatch() {
        BodyMatcher m =
                new BodyMatcher(Optional.of("healthy"), Optional.of(Pattern.compile("v\\d")));
        m.append(Buffer.buffer("healthy"));
        assertThat(m.check(true)).isEqualTo(Verdict.MISMATCHED);
        assertThat(m.mismatch(true))
                .isEqualTo("the first 64 KiB of the body does not match /v\\d/");
    }
}
