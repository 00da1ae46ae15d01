// STUB: the CLI entry (being written).
