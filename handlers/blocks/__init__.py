"""Block Kit builders: pure functions from snapshots and templates to messages and views."""
