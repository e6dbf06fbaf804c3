"""Writes. Views, commands and background tasks call these; nothing else writes models. One
module per feature; every function takes keyword arguments, and `by` is recorded."""
