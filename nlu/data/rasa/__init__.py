"""Rasa's domain, config, rules and stories for the aduan bot (YAML only; see domain.yml)."""
