// STUB: the webview entry (being written).
