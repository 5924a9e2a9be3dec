"""Widgets shared by the pages: a bar chart, copying a table to Excel, form fields with their error, date entry,
a simple record table, remembered widget state, and questions to the user."""
