"""The public pages, the 404 page and uploaded files."""
