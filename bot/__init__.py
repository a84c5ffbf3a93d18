"""The conversation engine, the Indonesian texts and the channel adapters."""
