// Root hooks: filled in by the server harness.
