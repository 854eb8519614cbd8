/** Reusable test fixtures for Tollgate: an in-process DynamoDB Local and a scriptable fake OpenAI upstream. */
package dev.tollgate.testkit;
