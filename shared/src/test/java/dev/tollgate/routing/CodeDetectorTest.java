package dev.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The code heuristic: statements of common languages count, prose does not, whatever words it uses. */
class CodeDetectorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "def add(a, b):", "fn main() {", "public class Invoice {", "import java.util.List;", "from os import path",
            "#include <stdio.h>", "const total = 0;", "let x: number = 1", "return a + b", "if (x > 1) {", "} else {",
            "for (int i = 0; i < n; i++) {", "@Override", "// a comment", "SELECT name FROM users WHERE id = 1",
            "Traceback (most recent call last):", "at com.example.App.main(App.java:14)", "ValueError: bad input",
            "$ npm install", "x = compute(y)", "print(add(1, 2))", "items.map(x => x * 2)", "<div class=\"a\">",
            "public static void main(String[] args) {"})
    void aStatementIsCode(String line) {
        assertThat(CodeDetector.looksLikeCode(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "What is the capital of France?", "Return the book to the library by Friday.",
            "I love the code of honour in old samurai novels", "Let me know what you think.",
            "Import duties rose last year.", "The class starts at nine.", "Write me a poem about autumn.",
            "First, preheat the oven: it takes ten minutes.", "Public transport is cheap here."})
    void proseIsNot(String line) {
        assertThat(CodeDetector.looksLikeCode(line)).isFalse();
    }

    @Test
    void aFencedBlockCountsWholeAndProseAroundItDoesNot() {
        // 9 of 13 non-blank characters are the fence lines and what they hold; blank lines count for nothing.
        assertThat(CodeDetector.codePercent("Why?\n\n```\nabc\n```\n")).isEqualTo(9 * 100 / 13);
        assertThat(CodeDetector.codePercent("Just a sentence.\nAnd another one.")).isZero();
        assertThat(CodeDetector.codePercent("")).isZero();
        assertThat(CodeDetector.codePercent("x = 1\ny = 2")).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Write a Python function that reverses a string.", "Can you fix this bug in my parser?",
            "How do I read a file in Rust?", "Implement a binary search algorithm.", "refactor the class below",
            "Generate unit tests for the module.", "What is a closure in JavaScript?"})
    void asksForCode(String message) {
        assertThat(CodeDetector.asksForCode(message)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Write a poem about the sea.", "Fix my schedule for tomorrow.", "I went to Java last summer.",
            "What is the dress code for the wedding?", "Generate three names for a cat."})
    void doesNotAskForCode(String message) {
        assertThat(CodeDetector.asksForCode(message)).isFalse();
    }
}
