"""The typed tools that the agent's policies call, and the registry that describes them."""
