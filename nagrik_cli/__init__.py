"""The `nagrik` command line."""
