/** The container image's server: every route on one Netty server, against real DynamoDB (container/entrypoint.sh). */
package dev.tollgate.functions.container;
