/**
 * Secrets on AWS: reads the Secrets Manager secrets a function's environment names (by ARN) once per
 * instance and exposes them as ordinary {@code tollgate.*} properties.
 */
package dev.tollgate.functions.secrets;
