"""Question banks: reading, validating and caching the versioned MLOps maturity model."""
