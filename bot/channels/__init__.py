"""One thin adapter per channel: translate updates in, messages out."""
