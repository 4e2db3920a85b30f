"""enrich: turn a hand-kept reading list into a bibliography you can trust."""

__version__ = "0.1.0"
