package dev.tollgate.infra;

import java.util.List;
import software.amazon.awscdk.services.iam.IGrantable;

/**
 * What each part of the application may read and write, in one place: the Lambda functions' roles and the
 * Fargate task role (which does the work of chat, or of every function but the reconciler) get their grants
 * from here, so the two homes cannot drift apart. LeastPrivilegeTest and FargateShapeTest read the results.
 */
final class RolePermissions {

    private RolePermissions() {
    }

    /** Every table, and every secret but the webhook signing secret. */
    static void api(IGrantable grantee, Tables tables, Secrets secrets) {
        tables.all().forEach(table -> table.grantReadWriteData(grantee));
        List.of(secrets.adminToken(), secrets.stripeApiKey(), secrets.upstreamApiKeys(), secrets.consoleSessionSecret())
                .forEach(secret -> secret.grantRead(grantee));
    }

    /**
     * The tables a request touches, the upstream keys, and the catalog's Bedrock models. Alerts: settlements raise
     * alerts and claim auto top-up crossings; the reconciler starts their payments, so chat still reads no Stripe
     * secret and writes no top-up orders.
     */
    static void chat(IGrantable grantee, StackSettings settings, Tables tables, Secrets secrets) {
        grant(grantee, tables, tables.names().accounts(), tables.names().keys(), tables.names().ledger(),
                tables.names().holds(), tables.names().usage(), tables.names().responses(), tables.names().alerts());
        secrets.upstreamApiKeys().grantRead(grantee);
        BedrockAccess.grant(grantee, settings);
    }

    /**
     * The orders, the ledger and the balances, and the webhook signing secret only; alerts for a Checkout's saved
     * card, an auto top-up's result and the topup_failed alert.
     */
    static void stripeWebhook(IGrantable grantee, Tables tables, Secrets secrets) {
        grant(grantee, tables, tables.names().topups(), tables.names().ledger(), tables.names().accounts(),
                tables.names().alerts());
        secrets.stripeWebhookSecret().grantRead(grantee);
    }

    /**
     * What api, chat and the webhook may do together, for a task that serves every route: api's (every table, every
     * secret but the webhook's), the webhook signing secret, and chat's Bedrock models. Written as that union, not as
     * the three grants in a row: repeating the tables they share would double the policy past IAM's size limit.
     */
    static void allButReconciler(IGrantable grantee, StackSettings settings, Tables tables, Secrets secrets) {
        api(grantee, tables, secrets);
        secrets.stripeWebhookSecret().grantRead(grantee);
        BedrockAccess.grant(grantee, settings);
    }

    /**
     * What releasing a hold writes; each run also retries due alert deliveries and starts the auto top-ups the chat
     * function claimed: the one scheduled place besides the API that holds the Stripe key.
     */
    static void reconciler(IGrantable grantee, Tables tables, Secrets secrets) {
        grant(grantee, tables, tables.names().holds(), tables.names().accounts(), tables.names().keys(),
                tables.names().ledger(), tables.names().topups(), tables.names().alerts());
        secrets.stripeApiKey().grantRead(grantee);
    }

    private static void grant(IGrantable grantee, Tables tables, String... names) {
        for (String name : names) {
            tables.table(name).grantReadWriteData(grantee);
        }
    }
}
