"""Model-agnostic building blocks: slugs, upload checks, safe links, sending files,
the HTTP middlewares and error views, the resilient Redis cache, database outage
handling. Nothing here imports the project's apps (import-linter holds it so), so
any app may use them."""
