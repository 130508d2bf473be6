"""The policies that decide what the bot does: offline rules, or an LLM."""
