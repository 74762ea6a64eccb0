"""Background jobs whose state users can see (queued, running, failed, done)."""
