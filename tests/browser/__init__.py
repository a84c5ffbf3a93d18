"""Browser tests: the officers' console and the public board in Debian's chromium."""
