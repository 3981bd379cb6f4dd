package org.backprop.cli;

/** How a command prints its result. */
enum Format {
    table, csv, json, markdown
}
