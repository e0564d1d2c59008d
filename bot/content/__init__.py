"""Staff-owned answers in responses/ (YAML), loaded and checked before a citizen sees them."""
