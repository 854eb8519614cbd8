package dev.tollgate.bench.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cost model's formulas against hand arithmetic, and docs/COSTS.md equal to what {@link CostTables} prints. */
class CostTablesTest {

    static final Path DOC = Path.of("..", "docs", "COSTS.md");

    @Test
    void theDocumentHoldsExactlyTheTablesTheCalculatorPrints() throws IOException {
        assertThat(Files.readString(DOC))
                .as("docs/COSTS.md is stale: regenerate it with CostTables --write docs/COSTS.md (see its last section)")
                .contains(CostTables.render());
    }

    @Test
    void writeReplacesOnlyTheGeneratedPart() {
        String doc = "# Costs\n\nprose\n\n" + CostTables.BEGIN + "\nold\n" + CostTables.END + "\n\nmore prose\n";
        String updated = CostTables.replace(doc, CostTables.BEGIN + "\nnew\n" + CostTables.END + "\n");
        assertThat(updated).isEqualTo("# Costs\n\nprose\n\n" + CostTables.BEGIN + "\nnew\n" + CostTables.END + "\n\nmore prose\n");
        assertThatThrownBy(() -> CostTables.replace("no markers", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLambdaChatBillsItsMemoryForTheWholeGenerationAndTheGatewaysOwnTime() {
        Shape typical = Shape.TYPICAL_BUFFERED; // 500 tokens at 50/s after a 0.5 s first token, plus 30 ms
        assertThat(CostModel.lambdaSeconds(typical)).isEqualByComparingTo("10.53");
        CostModel.LambdaCost cost = CostModel.lambda(typical);
        assertThat(cost.duration()).isEqualByComparingTo(new BigDecimal("10.53").multiply(new BigDecimal("0.0000133334")));
        assertThat(cost.apiGateway()).isEqualByComparingTo("0.0000035");
        assertThat(cost.requests()).isEqualByComparingTo("0.0000002");
        // 22 WRU and 1 RRU, measured
        assertThat(cost.dynamo()).isEqualByComparingTo(new BigDecimal("0.00001375").add(new BigDecimal("0.000000125")));
        assertThat(cost.logs()).isEqualByComparingTo("0.0000005"); // 1,000 bytes at $0.50/GB
        assertThat(cost.secrets()).isEqualByComparingTo("0.00000005"); // 0.01 starts × $0.05/10,000
        assertThat(cost.dataOut()).isEqualByComparingTo(new BigDecimal(2600).multiply(new BigDecimal("0.09")).movePointLeft(9));
        assertThat(cost.total()).isEqualByComparingTo(cost.apiGateway().add(cost.requests()).add(cost.duration())
                .add(cost.dynamo()).add(cost.logs()).add(cost.secrets()).add(cost.dataOut()));
    }

    @Test
    void aStreamRecordsItsProgressOncePerSecondOfTextAtTwoWruEach() {
        assertThat(Footprint.WRU_PER_PROGRESS_RECORD).isEqualByComparingTo("2");
        assertThat(CostModel.progressRecords(Shape.TYPICAL_STREAMED)).isEqualTo(10);
        assertThat(CostModel.progressRecords(Shape.SHORT_STREAMED)).isEqualTo(2);
        assertThat(CostModel.progressRecords(Shape.TYPICAL_BUFFERED)).isZero();
        assertThat(CostModel.wru(Shape.TYPICAL_STREAMED)).isEqualByComparingTo("44"); // 24 + 10 × 2
    }

    @Test
    void apiGatewayBillsAStreamOncePerStartedTenMegabytes() {
        Shape huge = Shape.chat("", Shape.Kind.PAID_STREAMED, 100, 60_000, 100); // 60,000 × 180 B + 600 B > 10 MiB
        assertThat(CostModel.lambda(huge).apiGateway()).isEqualByComparingTo("0.000007");
    }

    @Test
    void fargateScalesTasksWithCpuAndKeepsTwo() {
        BigDecimal measured = new BigDecimal("2.7"); // a CPU per event high enough that tasks scale with it
        assertThat(CostModel.tasks(Shape.TYPICAL_BUFFERED, BigDecimal.TEN, measured)).isEqualTo(2);
        // 100/s × (0.5 ms + 500 × 2.7 ms) = 135.05 CPU-s/s, at 60 % of 1 vCPU: 225.1 → 226
        assertThat(CostModel.tasks(Shape.TYPICAL_STREAMED, BigDecimal.valueOf(100), measured)).isEqualTo(226);
        BigDecimal hourly = CostModel.fargateHourly(Shape.TYPICAL_BUFFERED, BigDecimal.ZERO, measured);
        assertThat(hourly).isEqualByComparingTo(new BigDecimal("0.03238").add(new BigDecimal("0.00712"))
                .multiply(BigDecimal.TWO).add(new BigDecimal("0.0225")));
    }

    @Test
    void anAlbCapacityUnitIsTheLargestOfItsDimensions() {
        // 50 new connections/s is 2 LCU; 50 × 10.53 s = 526.5 open connections, 0.18 LCU; bytes 0.16 GB/h
        assertThat(CostModel.lcu(Shape.TYPICAL_BUFFERED, BigDecimal.valueOf(50))).isEqualByComparingTo("2");
    }

    @Test
    void theCrossoverIsWhereFargateStartsToCostLess() {
        for (Shape s : new Shape[] {Shape.TYPICAL_BUFFERED, Shape.TYPICAL_STREAMED, Shape.EMBEDDING}) {
            BigDecimal rate = CostModel.crossover(s, Assumptions.CPU_MS_PER_EVENT_MEASURED);
            BigDecimal lambda = CostModel.lambda(s).total();
            assertThat(CostModel.fargate(s, rate, Assumptions.CPU_MS_PER_EVENT_MEASURED)).as(s.name()).isLessThanOrEqualTo(lambda);
            BigDecimal below = rate.multiply(new BigDecimal("0.98"));
            assertThat(CostModel.fargate(s, below, Assumptions.CPU_MS_PER_EVENT_MEASURED)).as(s.name()).isGreaterThan(lambda);
        }
    }

    @Test
    void revenueComesFromTheDefaultCatalogsPrices() {
        // qwen3:latest, $0.20 in and $0.60 out per million: 1,500 × 0.20 + 500 × 0.60 = 600 µ$ a request
        assertThat(CostTables.render()).contains("| `qwen3:latest` | $600.00 |");
    }
}
