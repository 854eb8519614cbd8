package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedStdoutTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** Records each write it gets, as text. */
    private static final class Writes extends OutputStream {
        private final List<String> writes = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        synchronized List<String> writes() {
            return List.copyOf(writes);
        }

        synchronized String all() {
            return String.join("", writes);
        }
    }

    private final Writes out = new Writes();
    private final List<BatchedStdout> opened = new ArrayList<>();

    private BatchedStdout stdout(long lingerNanos) {
        BatchedStdout stdout = new BatchedStdout(out, lingerNanos);
        opened.add(stdout);
        return stdout;
    }

    @AfterEach
    void close() throws IOException {
        for (BatchedStdout stdout : opened) {
            stdout.close();
        }
    }

    private static void line(OutputStream stdout, String text) throws IOException {
        stdout.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesWaitForTheLingerAndGoOutTogetherInOneWriteInTheirOrder() throws IOException {
        BatchedStdout stdout = stdout(HOUR);
        line(stdout, "one");
        line(stdout, "two");
        line(stdout, "three");

        assertThat(out.writes()).isEmpty();  // the writer thread waits an hour for more
        stdout.flush();
        assertThat(out.writes()).containsExactly("one\ntwo\nthree\n");
        stdout.flush();
        assertThat(out.writes()).hasSize(1);  // nothing left: no empty write
    }

    @Test
    void theWriterThreadWritesThemAfterTheLinger() throws Exception {
        BatchedStdout stdout = stdout(TimeUnit.MILLISECONDS.toNanos(1));
        line(stdout, "first");
        awaitText("first\n");
        line(stdout, "second");  // the buffer was emptied: this wakes the writer again
        awaitText("first\nsecond\n");
    }

    @Test
    void beyondTheBoundTheWritingThreadWritesItself() throws IOException {
        BatchedStdout stdout = stdout(HOUR);
        byte[] half = new byte[BatchedStdout.MAX_PENDING / 2];
        Arrays.fill(half, (byte) 'x');
        stdout.write(half);
        stdout.write(half);
        assertThat(out.writes()).isEmpty();  // at the bound, not beyond it

        line(stdout, "over");
        assertThat(out.writes()).hasSize(1);
        assertThat(out.all()).hasSize(BatchedStdout.MAX_PENDING + 5).endsWith("xover\n");
    }

    @Test
    void closingWritesWhatWaitsAndRefusesMore() throws IOException {
        BatchedStdout stdout = stdout(HOUR);
        line(stdout, "last words");
        stdout.close();

        assertThat(out.writes()).containsExactly("last words\n");
        assertThatThrownBy(() -> line(stdout, "after")).isInstanceOf(IOException.class);
        assertThat(out.all()).isEqualTo("last words\n");
    }

    @Test
    void asTheJvmExitsWhatWaitsIsWrittenAndThenEachLineAtOnce() throws IOException {
        BatchedStdout stdout = stdout(HOUR);
        line(stdout, "before exit");
        stdout.immediate();
        assertThat(out.writes()).containsExactly("before exit\n");

        line(stdout, "logged by another shutdown hook");
        assertThat(out.writes()).containsExactly("before exit\n", "logged by another shutdown hook\n");
    }

    @Test
    void linesFromManyThreadsArriveWholeAndAllOfThem() throws Exception {
        BatchedStdout stdout = stdout(TimeUnit.MICROSECONDS.toNanos(200));
        int threads = 16;
        int lines = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < lines; i++) {
                        line(stdout, "thread " + thread + " line " + i + " " + "y".repeat(i % 50));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        stdout.flush();

        String[] received = out.all().split("\n");
        assertThat(received).hasSize(threads * lines);
        int[] next = new int[threads];
        for (String text : received) {
            String[] parts = text.split(" ");
            int thread = Integer.parseInt(parts[1]);
            int i = Integer.parseInt(parts[3]);
            assertThat(i).as("thread %d's lines in order", thread).isEqualTo(next[thread]++);
            assertThat(parts.length == 5 ? parts[4] : "").isEqualTo("y".repeat(i % 50));
        }
        // Batched: far fewer writes than lines (each write holds every line that waited for it).
        assertThat(out.writes().size()).isLessThan(threads * lines);
    }

    private void awaitText(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!out.all().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(out.all()).isEqualTo(expected);
    }

    @Test
    void aRealByteArraySinkGetsExactlyTheBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BatchedStdout stdout = new BatchedStdout(bytes, HOUR)) {
            stdout.write(new byte[] {'a', 'b', 'c', 'd'}, 1, 2);
            stdout.write('e');
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("bce");
    }
}
