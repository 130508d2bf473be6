"""Demo data: citizens and properties for the simulator and manual trials."""
