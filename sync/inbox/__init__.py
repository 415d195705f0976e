"""The inbox folder: the ministry's application lists and scanned documents (issue 7)."""
