/**
 * Amazon Bedrock Runtime (Converse, ConverseStream) as an upstream: pure translators, SigV4 signing and the AWS
 * event-stream reader.
 */
package dev.tollgate.upstream.bedrock;
