"""Build speed: caches and shortcuts that make builds incremental and parallel, never changing a byte of output."""
