"""One module per capability: functions that take a unit of work and a clock, and return snapshots."""
