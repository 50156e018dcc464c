"""The household's perspectiefplan, the external parties in a casus, and nazorg."""
