"""ReportLab forms and statistics (issues 5 and 6)."""
