"""How readers and machines find publications besides the pages: feeds, sitemaps,
metadata for search engines and reference managers, citation files."""
