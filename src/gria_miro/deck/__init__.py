"""GR:IA decks: the card model, its scales, and loading decks from YAML and CSV."""
