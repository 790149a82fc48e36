"""gria-miro: the facilitator's tool for the Miro version of the GR:IA serious game."""

__version__ = "0.1.0"
