"""The fleet server (enrollment, configuration bundles, health). Not built yet."""
