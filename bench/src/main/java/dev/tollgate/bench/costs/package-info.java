/**
 * The cost model of docs/COSTS.md: AWS prices (dated, with their sources), the DynamoDB footprint per request kind
 * measured by functions' DynamoCostPerRequestIT, stated assumptions, and the formulas that turn them into the
 * document's tables ({@link dev.tollgate.bench.costs.CostTables} prints them; a test keeps the document equal).
 */
package dev.tollgate.bench.costs;
