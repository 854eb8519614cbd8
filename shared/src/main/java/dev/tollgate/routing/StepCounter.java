package dev.tollgate.routing;

import java.util.Locale;
import java.util.regex.Pattern;

/** Counts the steps a prompt asks for: numbered lines ("1.", "2)", "(3)", "Step 4:"), and "step by step". */
final class StepCounter {

    private static final Pattern NUMBERED = Pattern.compile("^\\s*(\\d{1,2}[.)]|\\(\\d{1,2}\\)|step \\d{1,2}\\b[:.)]?)\\s+\\S",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STEP_BY_STEP = Pattern.compile("\\bstep[- ]by[- ]step\\b", Pattern.CASE_INSENSITIVE);

    private StepCounter() {
    }

    /** Numbered lines of the text. */
    static int steps(String text) {
        int steps = 0;
        for (String line : text.split("\n")) {
            if (NUMBERED.matcher(line).find()) {
                steps++;
            }
        }
        return steps;
    }

    /** Whether the text asks to be worked through step by step. */
    static boolean stepByStep(String text) {
        return STEP_BY_STEP.matcher(text.toLowerCase(Locale.ROOT)).find();
    }
}
