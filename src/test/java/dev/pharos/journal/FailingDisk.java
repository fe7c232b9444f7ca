package dev.pharos.journal;

import java.io.IOException;
import java.io.RandomAccessFile;

/** Makes a journal's writes fail as a full disk does (half a line, then ENOSPC), and heal. */
public final class FailingDisk {
    private FailingDisk() {}

    static final Journal.LineWriter FULL =
            (file, line) -> {
                file.write(line, 0, line.length / 2);
                throw new IOException("No space left on device");
            };

    public static void fill(Journal journal) {
        journal.writer = FULL;
    }

    public static void heal(Journal journal) {
        journal.writer = RandomAccessFile::write;
    }
}
