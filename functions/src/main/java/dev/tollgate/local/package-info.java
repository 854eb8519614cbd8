/** The local server: the AWS application on Netty with DynamoDB Local embedded and a demo account. */
package dev.tollgate.local;
