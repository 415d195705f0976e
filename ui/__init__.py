"""The PySide6 workstation client (issue 3). Nothing else may import Qt."""
