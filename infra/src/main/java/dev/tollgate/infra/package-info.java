/** AWS CDK app that defines Tollgate's cloud infrastructure as one CloudFormation stack per stage. */
package dev.tollgate.infra;
