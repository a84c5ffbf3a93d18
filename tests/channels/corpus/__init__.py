"""Real update shapes of the Telegram Bot API and the WhatsApp Cloud API, written from their
references, each with what the bot must do with it (issue 18). ``rig`` posts them through
the app's real webhook routes; the tests are ``tests/channels/test_update_corpus_*.py``."""
