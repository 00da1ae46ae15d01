// STUB: the store's worker entry (being written).
