"""The public pages: the lists (lists), a publication's pages (article), search (search),
the 404 page (errors) and uploaded files (media)."""
