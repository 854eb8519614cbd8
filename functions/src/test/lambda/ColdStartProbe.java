import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.functions.secrets.FakeSecretsManager;
import dev.tollgate.functions.lambda.ApiHandler;
import dev.tollgate.functions.lambda.FunctionRole;
import dev.tollgate.functions.lambda.LambdaContexts;
import dev.tollgate.money.Money;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Cold-start probe for the api function, run from the shaded Lambda jar by measure-cold-start.sh (not part of
 * the test suite). It does what the Lambda Java runtime does on a cold start: creates the handler with its
 * no-argument constructor (the init phase), then hands it one API Gateway event, and prints when each step
 * ended (epoch microseconds) so the script can subtract the moment it started the JVM.
 *
 *   secrets               serves the api function's three secrets (FakeSecretsManager, compiled alongside) until
 *                         killed; prints ENDPOINT=... and the TOLLGATE_SECRET_ARN_* variables to set
 *   setup                 creates the tables and an account in the DynamoDB the environment names; prints KEY=...
 *   event <file>...       the cold start: handler, then each event in turn (the first one is the measured one)
 */
public final class ColdStartProbe {

    public static void main(String[] args) throws Exception {
        Instant main = Instant.now();
        if (args[0].equals("secrets")) {
            FakeSecretsManager secrets = FakeSecretsManager.start();
            System.out.println("TOLLGATE_SECRETS_ENDPOINT=" + secrets.endpoint());
            System.out.println("TOLLGATE_SECRET_ARN_ADMIN_TOKEN=" + secrets.put("coldstart/admin-token", "adm_cold_start"));
            System.out.println("TOLLGATE_SECRET_ARN_STRIPE_API_KEY=" + secrets.put("coldstart/stripe-api-key", "REPLACE_ME"));
            System.out.println("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS=" + secrets.put("coldstart/upstream-api-keys", "{}"));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        if (args[0].equals("setup")) {
            try (ApplicationContext context = LambdaContexts.forHandler(FunctionRole.API, System.getenv())
                    .properties(Map.of("tollgate.dynamodb.create-tables", true)).start()) {
                System.out.println("KEY=" + context.getBean(AccountService.class).open("cold-start", Money.parseDollars("5.00")).secret());
            }
            System.exit(0);
        }
        ApiHandler handler = new ApiHandler();
        Instant init = Instant.now();
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        StringBuilder report = new StringBuilder();
        report.append("main=").append(micros(main)).append(" init=").append(micros(init));
        for (int i = 1; i < args.length; i++) {
            String text = Files.readString(Path.of(args[i])).replace("${TOLLGATE_API_KEY}", System.getenv("TOLLGATE_API_KEY"));
            APIGatewayProxyRequestEvent event = json.readValue(text, APIGatewayProxyRequestEvent.class);
            APIGatewayProxyResponseEvent response = handler.handleRequest(event, new MockLambdaContext());
            report.append(" event").append(i).append("=").append(micros(Instant.now()))
                    .append(" status").append(i).append("=").append(response.getStatusCode());
        }
        Runtime runtime = Runtime.getRuntime();
        report.append(" heapUsedMb=").append((runtime.totalMemory() - runtime.freeMemory()) >> 20)
                .append(" rssPeakKb=").append(peakRss());
        System.out.println(report);
        System.exit(0);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    /** VmHWM: the process's peak resident memory so far (Linux). */
    private static String peakRss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("\\D", "")).findFirst().orElse("?");
    }
}
