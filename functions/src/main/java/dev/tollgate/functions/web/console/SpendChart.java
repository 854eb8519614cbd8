package dev.tollgate.functions.web.console;

import dev.tollgate.billing.UsageRow;
import dev.tollgate.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend per day stacked by model, laid out for an inline SVG the server renders: no script, no chart library.
 * Bars are in viewBox units (the SVG scales to its container); each segment's title is its tooltip.
 */
public record SpendChart(int width, int height, List<Segment> segments, List<Legend> legend, String max, List<Tick> ticks) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    private static final String[] PALETTE = {"#4f6bed", "#e8833a", "#2da44e", "#bf3989", "#8250df", "#0a8a8a",
            "#d4a72c", "#cf222e"};

    public record Segment(double x, double y, double w, double h, String color, String title) {
    }

    public record Legend(String model, String color, String total) {
    }

    public record Tick(double x, String label) {
    }

    public boolean empty() {
        return segments.isEmpty();
    }

    public static SpendChart of(List<UsageRow> rows, LocalDate from, LocalDate to) {
        int days = (int) (to.toEpochDay() - from.toEpochDay()) + 1;
        Map<String, Money> totals = new TreeMap<>();
        Map<String, Map<String, Money>> byDay = new TreeMap<>();
        for (UsageRow row : rows) {
            if (!row.cost().isPositive()) {
                continue; // free requests cost nothing: nothing to stack
            }
            totals.merge(row.model(), row.cost(), Money::plus);
            byDay.computeIfAbsent(row.day(), d -> new TreeMap<>()).merge(row.model(), row.cost(), Money::plus);
        }
        Map<String, String> colors = new LinkedHashMap<>();
        List<Legend> legend = new ArrayList<>();
        for (Map.Entry<String, Money> e : totals.entrySet()) {
            String color = PALETTE[colors.size() % PALETTE.length];
            colors.put(e.getKey(), color);
            legend.add(new Legend(e.getKey(), color, Show.money(e.getValue())));
        }
        long max = byDay.values().stream().mapToLong(m -> m.values().stream().mapToLong(Money::micros).sum()).max().orElse(0);
        double slot = (double) WIDTH / days;
        List<Segment> segments = new ArrayList<>();
        for (Map.Entry<String, Map<String, Money>> day : byDay.entrySet()) {
            long index = LocalDate.parse(day.getKey()).toEpochDay() - from.toEpochDay();
            if (index < 0 || index >= days) {
                continue;
            }
            double y = HEIGHT;
            for (Map.Entry<String, Money> model : day.getValue().entrySet()) {
                double h = Math.max(1.0, HEIGHT * (double) model.getValue().micros() / max);
                y -= h;
                segments.add(new Segment(round(index * slot + slot * 0.15), round(y), round(slot * 0.7), round(h),
                        colors.get(model.getKey()), day.getKey() + " · " + model.getKey() + " · "
                        + Show.money(model.getValue())));
            }
        }
        List<Tick> ticks = List.of(new Tick(0, from.toString().substring(5)),
                new Tick(WIDTH, to.toString().substring(5)));
        return new SpendChart(WIDTH, HEIGHT, segments, legend, Show.money(Money.ofMicros(max)), ticks);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
