"""Our own files: the plan workbook and JSON, safe saves, and the projection as CSV."""
