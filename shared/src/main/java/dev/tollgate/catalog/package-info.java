/** The model catalog: public model ids mapped to upstreams, limits, prices and capabilities. */
package dev.tollgate.catalog;
