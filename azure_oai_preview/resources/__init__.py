"""Resource classes: one module per API area, each serving sync, async and raw clients."""
