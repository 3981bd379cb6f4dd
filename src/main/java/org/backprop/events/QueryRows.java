package org.backprop.events;

import java.util.List;

/** Takes a query's result as it comes from the store: its columns first, then one row at a time, never all at once. */
public interface QueryRows {
    void columns(List<String> names);

    /** One row; the list is the receiver's to keep. */
    void row(List<Object> values);
}
