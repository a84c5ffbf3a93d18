"""Entity extractors, one module each. Every extractor returns ``list[Entity]`` with
spans on the original text."""
