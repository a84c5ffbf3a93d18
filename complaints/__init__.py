"""The complaint domain: plain Python, no frameworks, no clock reads (time is passed in)."""
