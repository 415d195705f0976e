"""One dossier in its own window: the read snapshot, its formatting, dialogs, tabs, window."""
