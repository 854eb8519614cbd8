package dev.tollgate.health;

/** The port {@link Readiness} asks whether the store of balances and keys answers. */
public interface StoreProbe {

    /** One cheap read; throws if the store cannot be reached or refuses it. */
    void ping();
}
