"""Rich text: the one allow-list for bodies, and the filter that shows them."""
