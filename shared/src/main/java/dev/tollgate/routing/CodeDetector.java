package dev.tollgate.routing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The code heuristic of auto routing: how much of a conversation is code, and whether a message asks for code.
 * A heuristic on purpose (no model call before the model call): fenced blocks count whole, other lines count when
 * they look like a statement of a common language; prose that merely mentions code does not.
 */
final class CodeDetector {

    private static final Pattern FENCE = Pattern.compile("^(```|~~~)");
    /** Line starts that prose rarely has, case-sensitive: {@code return} starts code, {@code Return} a sentence. */
    private static final List<Pattern> CODE_LINES = List.of(
            Pattern.compile("^(def|async def|fn|func) \\w+\\s*[(<\\[]"),
            Pattern.compile("^(public |private |protected )?(abstract |final |static )*(class|interface|enum|record|struct|trait|impl) [A-Z]\\w*"),
            Pattern.compile("^(import [\\w.*{}, ]+;?|from [\\w.]+ import \\S.*|#include\\s*[<\"].*|package [\\w.]+;|using [\\w.]+;|use [\\w:]+;)$"),
            Pattern.compile("^(const|let|var|val|auto|int|long|double|float|bool|boolean|char|String|string)\\s+[\\w$\\[\\]<>]+\\s*(=|:|;|\\[|,)"),
            Pattern.compile("^(return\\b|if\\s*\\(|for\\s*\\(|while\\s*\\(|switch\\s*\\(|else\\b|elif |try\\s*[:{]|except\\b|catch\\s*\\(|finally\\s*[:{])"),
            Pattern.compile("^(public|private|protected|static)\\s+[\\w<>\\[\\], ]+\\s+\\w+\\s*\\("),
            Pattern.compile("^(@[A-Z]\\w*|//|/\\*|\\*/|#!|--\\s|<\\?php|<!DOCTYPE|</?[a-z][\\w-]*[\\s/>])"),
            Pattern.compile("^(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (TABLE|INDEX|VIEW)|ALTER TABLE|WITH \\w+ AS)\\b"),
            Pattern.compile("^(Traceback \\(most recent call last\\)|at [\\w.$]+\\([\\w.]*(:\\d+)?\\)|File \".*\", line \\d+|Exception in thread|\\w+(\\.\\w+)*(Error|Exception):)"),
            Pattern.compile("^\\$ \\S"),
            Pattern.compile("^[\\w.$\\[\\]]+\\s*(=|\\+=|-=|:=)\\s*\\S.*$"),
            Pattern.compile("^[\\w.$]+\\(.*\\)[;,]?$"),
            Pattern.compile("[;{}]$|\\)\\s*:$|=>|&&|\\|\\||!=|==|::"));
    private static final Pattern ASKS_FOR_CODE = Pattern.compile(
            "\\b(write|implement|refactor|debug|fix|optimi[sz]e|rewrite|port|generate|complete|code)\\b[^.?!\\n]{0,60}?"
                    + "\\b(functions?|methods?|class(es)?|scripts?|programs?|code|regexp?|regular expression|sql|quer(y|ies)"
                    + "|unit tests?|algorithms?|endpoints?|bugs?|snippets?|modules?|librar(y|ies)|cli)\\b"
                    + "|\\b(in|using|with|for) (python|java|javascript|typescript|rust|golang|kotlin|c\\+\\+|c#|ruby|php|swift"
                    + "|scala|bash|powershell|sql|haskell|elixir)(?=\\W|$)");

    private CodeDetector() {
    }

    /** The share of the text's non-blank characters, 0 to 100, on lines that are code. */
    static int codePercent(String text) {
        long total = 0;
        long code = 0;
        boolean fenced = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            total += line.length();
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                code += line.length();
            } else if (fenced || looksLikeCode(line)) {
                code += line.length();
            }
        }
        return total == 0 ? 0 : (int) (code * 100 / total);
    }

    /** Whether a message asks for code: "write a function ...", "fix this bug ...", "... in Python". */
    static boolean asksForCode(String text) {
        return ASKS_FOR_CODE.matcher(text.toLowerCase(Locale.ROOT)).find();
    }

    static boolean looksLikeCode(String line) {
        for (Pattern pattern : CODE_LINES) {
            if (pattern.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }
}
