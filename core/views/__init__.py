"""Pages, one module per feature: home and health, organisations, members."""
