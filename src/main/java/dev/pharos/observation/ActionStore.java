package dev.pharos.observation;

import java.util.List;

/**
 * Where the operator actions are kept across restarts (a port: the persisted state lives above this
 * stage). {@link ActionBook} reads it once, when it is created.
 */
public interface ActionStore {
    /** The actions saved before this start. */
    List<OperatorAction> saved();
}
