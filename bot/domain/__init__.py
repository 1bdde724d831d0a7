"""Pure Python: the meeting's stages, roles, errors and the frozen snapshots services return."""
