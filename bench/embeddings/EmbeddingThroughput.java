// Embeddings benchmark (run by bench/embeddings/run.sh): sentences per second of the in-process
// all-MiniLM-L6-v2 model for request batch sizes 1, 16 and 128, the model's cold load time and the process's
// memory. Each request is what POST /v1/embeddings does for an in-process model minus HTTP and billing:
// tokenize every input with the model's tokenizer, then embed. Single-file Java program, not part of any
// test run.
import dev.tollgate.upstream.onnx.BundledModel;
import dev.tollgate.upstream.onnx.OnnxEmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

public class EmbeddingThroughput {

    static final int[] BATCHES = {1, 16, 128};
    static final String[] SUBJECTS = {"The gateway", "A customer", "Our invoice", "The model", "Every request",
            "The billing team", "A prepaid balance", "The Lambda function", "This sentence", "The weather"};
    static final String[] VERBS = {"charges", "embeds", "reserves", "streams", "settles", "refuses", "counts",
            "caches", "forwards", "describes"};
    static final String[] OBJECTS = {"tokens for every call", "a vector of 384 numbers", "the credit left on the account",
            "a short answer in English", "the cost before it runs", "requests that are too long",
            "the sunny afternoon in the park", "its ledger entry exactly once", "a hold until the upstream answers",
            "whatever the key's budget allows"};

    public static void main(String[] args) throws IOException {
        double seconds = Double.parseDouble(System.getProperty("seconds", "10"));
        int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
        String loadBefore = loadAverage();
        long rssBefore = rssKb("VmRSS");
        long start = System.nanoTime();
        OnnxEmbeddingModel model = OnnxEmbeddingModel.load(BundledModel.ALL_MINILM_L6_V2_Q, threads);
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        long rssLoaded = rssKb("VmRSS");
        OnnxEmbeddingModel batched = OnnxEmbeddingModel.load(BundledModel.ALL_MINILM_L6_V2_Q, threads, 32);
        List<String> corpus = corpus(4096);
        double tokens = corpus.stream().mapToInt(s -> model.tokenize(s).length).average().orElse(0);

        StringBuilder table = new StringBuilder();
        table.append("| request batch | micro-batch 1 (default): sentences/s | per CPU-second | micro-batch 32: sentences/s"
                + " | per CPU-second | load average after |\n");
        table.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int batch : BATCHES) {
            Result exact = run(model, corpus, batch, seconds);
            Result fast = run(batched, corpus, batch, seconds);
            table.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %s |%n", batch, exact.perSecond(),
                    exact.perCpuSecond(), fast.perSecond(), fast.perCpuSecond(), loadAverage()));
        }
        long rssPeak = rssKb("VmHWM");
        Runtime rt = Runtime.getRuntime();
        String report = String.format(Locale.ROOT, """
                ### Embeddings run %s

                machine: %d cores (intra-op threads %d), 1-minute load average before the run %s; %s %s
                corpus: %d generated English sentences, %.1f tokens each on average ([CLS]/[SEP] included)
                cold load of all-minilm-l6-v2-q (classpath read, tokenizer, ONNX session): %d ms
                resident memory: %d MB before loading, %d MB after (+%d MB), peak %d MB with two sessions loaded;
                Java heap in use at the end %d MB

                %s""",
                java.time.Instant.now().toString().substring(0, 19) + "Z", Runtime.getRuntime().availableProcessors(), threads,
                loadBefore, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                corpus.size(), tokens, loadMs, rssBefore / 1024, rssLoaded / 1024, (rssLoaded - rssBefore) / 1024,
                rssPeak / 1024, (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024), table);
        System.out.println(report);
        String out = System.getProperty("out");
        if (out != null) {
            Files.writeString(Path.of(out), report);
        }
        model.close();
        batched.close();
    }

    /**
     * Sentences per wall-clock second, and per second of this process's CPU time: on a shared machine other
     * processes take cores away, which lowers the first and barely moves the second.
     */
    record Result(double perSecond, double perCpuSecond) {
    }

    /** Requests of {@code batch} sentences back to back for {@code seconds} after a warm-up. */
    static Result run(OnnxEmbeddingModel model, List<String> corpus, int batch, double seconds) {
        int next = 0;
        long warmUntil = System.nanoTime() + (long) (Math.min(3, seconds / 3) * 1e9);
        while (System.nanoTime() < warmUntil) {
            next = request(model, corpus, next, batch);
        }
        long cpuBegin = cpuNanos();
        long begin = System.nanoTime();
        long end = begin + (long) (seconds * 1e9);
        long sentences = 0;
        while (System.nanoTime() < end) {
            next = request(model, corpus, next, batch);
            sentences += batch;
        }
        double wall = (System.nanoTime() - begin) / 1e9;
        double cpu = (cpuNanos() - cpuBegin) / 1e9;
        return new Result(sentences / wall, sentences / cpu);
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static int request(OnnxEmbeddingModel model, List<String> corpus, int next, int batch) {
        List<long[]> sequences = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            sequences.add(model.tokenize(corpus.get((next + i) % corpus.size())));
        }
        model.embed(sequences);
        return (next + batch) % corpus.size();
    }

    /** Deterministic sentences of 8 to 30 words. */
    static List<String> corpus(int size) {
        SplittableRandom random = new SplittableRandom(42);
        List<String> sentences = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            StringBuilder s = new StringBuilder();
            int clauses = 1 + random.nextInt(3);
            for (int c = 0; c < clauses; c++) {
                s.append(c == 0 ? "" : ", and ").append(SUBJECTS[random.nextInt(SUBJECTS.length)]).append(' ')
                        .append(VERBS[random.nextInt(VERBS.length)]).append(' ').append(OBJECTS[random.nextInt(OBJECTS.length)]);
            }
            sentences.add(s.append('.').toString());
        }
        return sentences;
    }

    static long rssKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
