"""The whole-page cache for readers: which pages are kept, under which key."""
