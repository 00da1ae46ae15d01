// STUB: the extension entry (being written).
