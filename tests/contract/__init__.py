"""Contract checks of request bodies against the official Miro OpenAPI spec (subset committed in tests/data)."""
