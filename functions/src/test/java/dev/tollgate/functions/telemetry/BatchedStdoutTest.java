package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    void stopWriters() {
        opened.forEach(BatchedStdout::stopWriter);
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
    void closingWritesWhatWaitsAndLeavesStandardOutputOpen() throws IOException {
        BatchedStdout stdout = stdout(HOUR);
        line(stdout, "before logback stops");
        stdout.close();
        assertThat(out.writes()).containsExactly("before logback stops\n");

        line(stdout, "after it starts again");  // a reconfigured appender writes to the same standard output
        stdout.flush();
        assertThat(out.writes()).containsExactly("before logback stops\n", "after it starts again\n");
    }

    @Test
    void aFailedWriteDropsItsBatchWithoutFailingTheLoggingCallAndLaterLinesGoOut() throws IOException {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        Writes sink = out;
        BatchedStdout stdout = new BatchedStdout(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (failOnce.getAndSet(false)) {
                    throw new IOException("No space left on device");
                }
                sink.write(bytes, offset, length);
            }
        }, HOUR);
        opened.add(stdout);
        line(stdout, "lost");
        stdout.immediate();  // the write fails: nothing thrown here, nor to the next line's logging call
        line(stdout, "written at once");

        assertThat(out.writes()).containsExactly("written at once\n");
    }

    @Test
    void linesOfManyThreadsGoOutInOneWrite() throws Exception {
        BatchedStdout stdout = stdout(HOUR);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        line(stdout, "thread " + thread + " line " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(out.writes()).isEmpty();
        stdout.flush();
        assertThat(out.writes()).hasSize(1);
        assertThat(out.all().split("\n")).hasSize(800);
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
        BatchedStdout stdout = new BatchedStdout(bytes, HOUR);
        opened.add(stdout);
        stdout.write(new byte[] {'a', 'b', 'c', 'd'}, 1, 2);
        stdout.write('e');
        stdout.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("bce");
    }

    /** A process that logs and exits at once: without the exit hook its lines would wait for the linger and be lost. */
    @Test
    void aProcessThatExitsRightAfterLoggingStillWritesItsLines() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LogsThenExits.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("logged right before System.exit\n", "logged by another shutdown hook\n");
    }

    /** Writes a line through the batched standard output and exits at once; another shutdown hook writes one more. */
    static final class LogsThenExits {
        public static void main(String[] args) throws IOException {
            BatchedStdout stdout = BatchedStdout.stdout();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> line(stdout, "logged by another shutdown hook")));
            line(stdout, "logged right before System.exit");
            System.exit(0);
        }

        private static void line(BatchedStdout stdout, String text) {
            stdout.write((text + "\n").getBytes(StandardCharsets.UTF_8), 0, text.length() + 1);
        }
    }
}
