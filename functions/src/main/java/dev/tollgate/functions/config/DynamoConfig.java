package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.URI;

/** {@code tollgate.dynamodb.*}: where the tables are. No endpoint means AWS's regional endpoint. */
@ConfigurationProperties("tollgate.dynamodb")
public class DynamoConfig {

    private URI endpoint;
    private String region = "us-east-1";
    private String tablePrefix = "tollgate-";
    private boolean createTables;

    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public boolean isCreateTables() {
        return createTables;
    }

    public void setCreateTables(boolean createTables) {
        this.createTables = createTables;
    }
}
