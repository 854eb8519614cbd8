/** DynamoDB adapters for the store ports: the only package that imports the DynamoDB SDK. */
package dev.tollgate.store.dynamo;
